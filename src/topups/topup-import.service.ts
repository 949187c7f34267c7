import type { Ctx } from '../context.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import type { UploadedFile } from '../http/body.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { FormErrors } from '../shared/form.ts';
import { newId } from '../shared/ids.ts';
import { parseStatement, type StatementRow } from './statement.ts';
import { matchStatement, type Match } from './statement-match.ts';
import { confirmTopup, decideTopup } from './topups.service.ts';
import './topups.messages.ts';

export const IMPORT_SHAPE = { statement: null } as const;

/** Reads an uploaded statement and keeps its rows for review; nothing is credited yet. */
export async function createImport(ctx: Ctx, actor: Actor, file: UploadedFile | undefined): Promise<string> {
  const errors = new FormErrors();
  if (!file || (!file.filename && file.data.length === 0)) errors.add(['statement'], 'import.no_file');
  else if (file.truncated) errors.add(['statement'], 'import.too_large');
  errors.throwIfAny(IMPORT_SHAPE);
  // Banks export UTF-8 or, from older systems, Latin-1: read whichever the bytes are.
  let text = file!.data.toString('utf8');
  if (text.includes('\ufffd')) text = file!.data.toString('latin1');
  if (text.includes('\u0000')) errors.add(['statement'], 'import.not_text');
  errors.throwIfAny(IMPORT_SHAPE);
  const parsed = parseStatement(text);
  if (!parsed.ok) {
    for (const p of parsed.problems.slice(0, 20)) errors.add(['statement'], p.key, { line: p.line, ...(p.params ?? {}) });
    if (parsed.problems.length > 20) errors.add(['statement'], 'import.more_problems', { n: parsed.problems.length - 20 });
    errors.throwIfAny(IMPORT_SHAPE);
  }
  const rows = (parsed as { rows: StatementRow[] }).rows;
  const id = newId();
  await ctx.store.tx((tx) => tx.insertInto('topup_imports').values({
    id, operator_id: actor.operatorId, file_name: file!.filename.slice(0, 200) || 'statement.csv', rows_json: JSON.stringify(rows),
    row_count: rows.length, created_at: ctx.clock.now(), applied_at: null, applied_by: null, result_json: null,
  }).execute());
  return id;
}

export interface ImportView {
  id: string;
  fileName: string;
  createdAt: number;
  applied: boolean;
  matches: Match[];
  /** Pending top-ups no row of this statement matched. */
  pendingLeft: number;
}

/** Before it is applied: what the rows match now. After: what they matched when applied. */
export async function importView(ctx: Ctx, id: string): Promise<ImportView> {
  const imp = await ctx.store.db.selectFrom('topup_imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!imp) throw new NotFoundError();
  const matches = imp.result_json ? (JSON.parse(imp.result_json) as Match[]) : await matchStatement(ctx.store.db, JSON.parse(imp.rows_json) as StatementRow[]);
  const matched = new Set(matches.flatMap((m) => (m.outcome === 'matched' ? m.topupIds : [])));
  const pending = await ctx.store.db.selectFrom('topups').select('id').where('status', '=', 'pending').execute();
  return {
    id, fileName: imp.file_name, createdAt: Number(imp.created_at), applied: imp.applied_at !== null, matches,
    pendingLeft: pending.filter((p) => !matched.has(p.id)).length,
  };
}

/**
 * Confirms every row that matches exactly one pending top-up, all in one transaction with
 * the import's own record: any refusal (a reference credited meanwhile, a balance bound)
 * rolls the whole import back, so it is applied whole or not at all, and once.
 */
export async function applyImport(ctx: Ctx, actor: Actor, id: string): Promise<number> {
  let confirmed = 0;
  await decideTopup(ctx, async (tx) => {
    const now = ctx.clock.now();
    const claimed = await tx.updateTable('topup_imports').set({ applied_at: now, applied_by: actor.operatorId })
      .where('id', '=', id).where('applied_at', 'is', null).returning(['rows_json']).executeTakeFirst();
    if (!claimed) throw ValidationError.global('import.applied');
    const matches = await matchStatement(tx, JSON.parse(claimed.rows_json) as StatementRow[]);
    for (const m of matches) {
      if (m.outcome !== 'matched') continue;
      await confirmTopup(tx, actor, m.topupIds[0], now, id);
      confirmed++;
    }
    const count = (o: Match['outcome']) => matches.filter((m) => m.outcome === o).length;
    await tx.updateTable('topup_imports').set({ result_json: JSON.stringify(matches) }).where('id', '=', id).execute();
    await writeAudit(tx, actor, {
      action: 'topup.import', targetType: 'topup_import', targetId: id,
      details: { rows: matches.length, matched: confirmed, twice: count('twice'), credited: count('credited'), amount: count('amount'), unmatched: count('unmatched') },
    }, now);
  });
  return confirmed;
}
