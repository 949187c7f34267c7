import type { ReadDb } from '../db/store.ts';

// Read-only queries of the back-office pages and the admin command.

export async function dashboardCounts(db: ReadDb) {
  const [golive, distributions, apps, codes, requests] = await Promise.all([
    db.selectFrom('golive_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    db.selectFrom('app_distribution_accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    db.selectFrom('apps').select(['status', 'ready', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['status', 'ready']).execute(),
    db.selectFrom('affiliation_codes').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'available').where('issued_by', 'is not', null).executeTakeFirstOrThrow(),
    db.selectFrom('app_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow(),
  ]);
  const count = (pred: (r: (typeof apps)[number]) => boolean) => apps.filter(pred).reduce((s, r) => s + Number(r.n), 0);
  return {
    pendingGolive: Number(golive.n),
    pendingDistributions: Number(distributions.n),
    appsLive: count((r) => r.status === 'active' && Number(r.ready) === 1),
    appsWaiting: count((r) => r.status === 'active' && Number(r.ready) === 0),
    appsSuspended: count((r) => r.status === 'suspended'),
    appsRevoked: count((r) => r.status === 'revoked'),
    codesAvailable: Number(codes.n),
    pendingAppRequests: Number(requests.n),
  };
}

export type AppFilter = 'all' | 'waiting' | 'live' | 'suspended' | 'revoked';
export const APP_FILTERS: AppFilter[] = ['all', 'waiting', 'live', 'suspended', 'revoked'];

export async function listApps(db: ReadDb, filter: AppFilter, limit = 200) {
  let q = db.selectFrom('apps as a').innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .select(['a.id', 'a.client_id', 'a.name', 'a.home_url', 'a.ready', 'a.billing_enabled', 'a.status', 'a.created_at',
      'u.username as owner', 'u.business_name']);
  if (filter === 'waiting') q = q.where('a.status', '=', 'active').where('a.ready', '=', 0);
  if (filter === 'live') q = q.where('a.status', '=', 'active').where('a.ready', '=', 1);
  if (filter === 'suspended' || filter === 'revoked') q = q.where('a.status', '=', filter);
  return q.orderBy('a.created_at', 'desc').limit(limit).execute();
}

export type GoliveFilter = 'pending' | 'approved' | 'refused' | 'all';
export const GOLIVE_FILTERS: GoliveFilter[] = ['pending', 'approved', 'refused', 'all'];

export async function listGoliveRequests(db: ReadDb, filter: GoliveFilter, limit = 200) {
  let q = db.selectFrom('golive_requests as g')
    .innerJoin('apps as a', 'a.id', 'g.app_id')
    .innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .leftJoin('users as o', 'o.id', 'g.decided_by')
    .select(['g.id', 'g.app_id', 'g.status', 'g.reason', 'g.created_at', 'g.decided_at', 'a.name as app_name', 'a.home_url',
      'u.username as owner', 'u.business_name', 'o.username as decided_by']);
  if (filter !== 'all') q = q.where('g.status', '=', filter);
  // Pending requests are a queue: oldest first. Decided ones: newest first.
  return q.orderBy('g.created_at', filter === 'pending' ? 'asc' : 'desc').limit(limit).execute();
}

export async function listDistributionRequests(db: ReadDb, status: 'pending' | 'all', limit = 200) {
  let q = db.selectFrom('app_distribution_accounts as d')
    .innerJoin('apps as a', 'a.id', 'd.app_id')
    .innerJoin('digital_accounts as acc', 'acc.id', 'd.account_id')
    .leftJoin('users as holder', 'holder.id', 'acc.user_id')
    .leftJoin('users as o', 'o.id', 'd.decided_by')
    .select(['d.app_id', 'd.status', 'd.requested_at', 'd.decided_at', 'a.name as app_name', 'acc.handle', 'acc.name as account_name',
      'holder.username as holder', 'o.username as decided_by']);
  if (status === 'pending') q = q.where('d.status', '=', 'pending');
  return q.orderBy('d.requested_at', 'asc').limit(limit).execute();
}

/** Everything the review page of one app shows. */
export async function appDetail(db: ReadDb, appId: string) {
  const app = await db.selectFrom('apps as a')
    .innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .innerJoin('digital_accounts as r', 'r.id', 'a.receiving_account_id')
    .select(['a.id', 'a.client_id', 'a.name', 'a.description', 'a.home_url', 'a.ready', 'a.button_enabled', 'a.billing_enabled',
      'a.status', 'a.status_reason', 'a.created_at', 'a.updated_at', 'u.id as owner_id', 'u.username as owner', 'u.business_name',
      'u.document', 'u.email', 'u.phone', 'u.affiliation_code', 'r.handle as receiving_handle'])
    .where('a.id', '=', appId).executeTakeFirst();
  if (!app) return undefined;
  const [requests, distributions, code] = await Promise.all([
    db.selectFrom('golive_requests as g').leftJoin('users as o', 'o.id', 'g.decided_by')
      .select(['g.id', 'g.status', 'g.declaration_json', 'g.reason', 'g.created_at', 'g.decided_at', 'o.username as decided_by'])
      .where('g.app_id', '=', appId).orderBy('g.created_at', 'desc').execute(),
    db.selectFrom('app_distribution_accounts as d').innerJoin('digital_accounts as acc', 'acc.id', 'd.account_id')
      .leftJoin('users as o', 'o.id', 'd.decided_by')
      .select(['acc.handle', 'acc.name', 'd.status', 'd.requested_at', 'd.decided_at', 'o.username as decided_by'])
      .where('d.app_id', '=', appId).orderBy('d.requested_at').execute(),
    app.affiliation_code
      ? db.selectFrom('affiliation_codes as c').leftJoin('users as i', 'i.id', 'c.issued_by')
        .select(['c.code', 'c.type', 'c.issued_by', 'i.username as issuer', 'c.used_by'])
        .where('c.code', '=', app.affiliation_code).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    app,
    requests: requests.map((r) => ({ ...r, declaration: parseDeclaration(r.declaration_json) })),
    distributions,
    code,
  };
}

function parseDeclaration(json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}
