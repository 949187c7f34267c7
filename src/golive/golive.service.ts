import { isOwnHttpsSite } from '../shared/input.ts';
import type { GoliveRequestsTable } from '../db/schema.ts';
import { forUpdate, type Tx, type ReadDb, type Writer } from '../db/store.ts';
import { FormErrors } from '../shared/form.ts';
import { NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import './golive.messages.ts';

// The merchant's side of going live: a declaration of the production requirements of the
// seed page, which an operator reviews in the back office before activating the app.

export const GOLIVE_SHAPE = {
  affiliationCode: null, homeUrl: null, ownSourceCode: null, sourceDescription: null, hostingProvider: null, hostingDescription: null,
} as const;

export interface GoliveInput {
  affiliationCode?: string;
  ownSourceCode?: boolean;
  sourceDescription?: string;
  hostingProvider?: string;
  hostingDescription?: string;
}

export interface Declaration {
  affiliationCode: string;
  homeUrl: string;
  ownSourceCode: true;
  sourceDescription: string;
  hostingProvider: string;
  hostingDescription: string;
}

export type GoliveRequest = GoliveRequestsTable;
export type Stage = 'live' | 'suspended' | 'revoked' | 'pending' | 'refused' | 'none';

/** The app if this business owns it; anyone else's app is "not found". */
export async function ownedApp(db: ReadDb, userId: string, appId: string) {
  const app = await db.selectFrom('apps').select(['id', 'name', 'home_url', 'ready', 'status', 'status_reason', 'owner_user_id'])
    .where('id', '=', appId).executeTakeFirst();
  if (!app || app.owner_user_id !== userId) throw new NotFoundError();
  return app;
}

type OwnedApp = Awaited<ReturnType<typeof ownedApp>>;

export async function latestRequest(db: ReadDb, appId: string): Promise<GoliveRequest | undefined> {
  return db.selectFrom('golive_requests').selectAll().where('app_id', '=', appId)
    .orderBy('created_at', 'desc').orderBy('id').limit(1).executeTakeFirst();
}

/** Where the app stands: what the going-live page shows and whether it offers the form. */
export function stageOf(app: OwnedApp, latest: GoliveRequest | undefined): Stage {
  if (app.status === 'revoked' || app.status === 'suspended') return app.status;
  if (app.ready) return 'live';
  if (latest?.status === 'pending') return 'pending';
  if (latest?.status === 'refused') return 'refused';
  return 'none';
}

export const canRequest = (stage: Stage): boolean => stage === 'none' || stage === 'refused';

function clean(s: string | undefined, max: number): string {
  return (s ?? '').trim().replace(/[ \t]+/g, ' ').slice(0, max + 1);
}

async function checkDeclaration(db: Tx, userId: string, app: OwnedApp, input: GoliveInput): Promise<Declaration> {
  const errors = new FormErrors();
  const user = await db.selectFrom('users').select('affiliation_code').where('id', '=', userId).executeTakeFirstOrThrow();
  const code = clean(input.affiliationCode, 32);
  const issued = user.affiliation_code
    ? await db.selectFrom('affiliation_codes').select(['issued_by', 'used_by']).where('code', '=', user.affiliation_code).executeTakeFirst()
    : undefined;
  if (!code) errors.add(['affiliationCode'], 'golive.code_required');
  else if (!user.affiliation_code || !issued?.issued_by || issued.used_by !== userId) errors.add(['affiliationCode'], 'golive.code_not_from_sales');
  else if (code !== user.affiliation_code) errors.add(['affiliationCode'], 'golive.code_mismatch');
  if (!isOwnHttpsSite(app.home_url)) errors.add(['homeUrl'], 'golive.home_not_https');
  if (!input.ownSourceCode) errors.add(['ownSourceCode'], 'golive.source_required');
  const sourceDescription = clean(input.sourceDescription, 1000);
  if (sourceDescription.length < 10) errors.add(['sourceDescription'], 'golive.describe_source');
  if (sourceDescription.length > 1000) errors.add(['sourceDescription'], 'golive.too_long', { max: 1000 });
  const hostingProvider = clean(input.hostingProvider, 200);
  if (hostingProvider.length < 2) errors.add(['hostingProvider'], 'golive.hosting_required');
  if (hostingProvider.length > 200) errors.add(['hostingProvider'], 'golive.too_long', { max: 200 });
  const hostingDescription = clean(input.hostingDescription, 1000);
  if (hostingDescription.length > 1000) errors.add(['hostingDescription'], 'golive.too_long', { max: 1000 });
  errors.throwIfAny({ ...GOLIVE_SHAPE });
  return { affiliationCode: code, homeUrl: app.home_url, ownSourceCode: true, sourceDescription, hostingProvider, hostingDescription };
}

/**
 * Files a going-live request. The app row is locked so that two submissions at once
 * cannot both create a pending request.
 */
export async function submitGolive(tx: Tx, userId: string, appId: string, input: GoliveInput, nowMs: number): Promise<GoliveRequest> {
  await forUpdate(tx, tx.selectFrom('apps').select('id').where('id', '=', appId)).executeTakeFirst();
  const app = await ownedApp(tx, userId, appId);
  const stage = stageOf(app, await latestRequest(tx, appId));
  if (!canRequest(stage)) new FormErrors().global(`golive.cannot_${stage}`).throwIfAny({ ...GOLIVE_SHAPE });
  const declaration = await checkDeclaration(tx, userId, app, input);
  const row: GoliveRequest = {
    id: newId(), app_id: appId, status: 'pending', declaration_json: JSON.stringify(declaration), reason: null,
    created_at: nowMs, decided_at: null, decided_by: null, seen_at: null,
  };
  await tx.insertInto('golive_requests').values(row).execute();
  return row;
}

export interface GoliveDecision {
  appId: string;
  appName: string;
  status: 'approved' | 'refused';
  reason: string | null;
  decidedAt: number;
}

/** Decisions on this business's going-live requests that it has not seen yet, newest first. */
export async function unseenDecisions(db: ReadDb, ownerUserId: string): Promise<GoliveDecision[]> {
  const rows = await db.selectFrom('golive_requests as g').innerJoin('apps as a', 'a.id', 'g.app_id')
    .select(['g.app_id', 'a.name', 'g.status', 'g.reason', 'g.decided_at'])
    .where('a.owner_user_id', '=', ownerUserId).where('g.status', 'in', ['approved', 'refused'])
    .where('g.seen_at', 'is', null).where('g.decided_at', 'is not', null)
    .orderBy('g.decided_at', 'desc').limit(10).execute();
  return rows.map((r) => ({
    appId: r.app_id, appName: r.name, status: r.status as 'approved' | 'refused', reason: r.reason, decidedAt: Number(r.decided_at),
  }));
}

/** The business opened the app's going-live page: its decisions are seen. */
export async function markDecisionsSeen(db: Writer, appId: string, nowMs: number): Promise<void> {
  await db.updateTable('golive_requests').set({ seen_at: nowMs })
    .where('app_id', '=', appId).where('status', 'in', ['approved', 'refused']).where('seen_at', 'is', null).execute();
}
