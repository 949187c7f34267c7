import type { IntentState } from '../db/schema.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { IntentRow } from './payment-intent.repository.ts';

/** An executed intent can be annulled for this long after its execution. */
export const ANNUL_WINDOW_MS = DAY_MS;

/** Past expires_at, an intent still waiting (created or authorized) counts as canceled. */
export function isExpired(row: Pick<IntentRow, 'state' | 'expires_at'>, nowMs: number): boolean {
  return (row.state === 'created' || row.state === 'authorized') && row.expires_at !== null && nowMs >= row.expires_at;
}

export function effectiveState(row: Pick<IntentRow, 'state' | 'expires_at'>, nowMs: number): IntentState {
  return isExpired(row, nowMs) ? 'canceled' : row.state;
}

export function canAnnul(row: Pick<IntentRow, 'state' | 'executed_at'>, nowMs: number): boolean {
  return row.state === 'executed' && row.executed_at !== null && nowMs < row.executed_at + ANNUL_WINDOW_MS;
}

/** The message key explaining why an intent in this state cannot take the asked step. */
export function stateMessage(state: IntentState): string {
  return `intent.state_${state}`;
}
