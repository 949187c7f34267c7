import type { PayoutBatchesTable, PayoutItemsTable } from '../db/schema.ts';
import { apiDate } from '../shared/clock.ts';
import { formatMinor } from '../shared/money.ts';
import { BANKS } from './banks.ts';

// A payout batch and its items as the API shows them (and as their events carry them).

export function serializeBatch(b: PayoutBatchesTable) {
  return {
    id: b.id, ref: b.ref, type: b.type, status: b.status, item_count: b.item_count,
    amount_total: formatMinor(Number(b.total_minor)), fee_total: formatMinor(Number(b.fee_minor)),
    debit_total: formatMinor(Number(b.total_minor) + Number(b.fee_minor)),
    created_at: apiDate(b.created_at), submitted_at: b.submitted_at === null ? null : apiDate(b.submitted_at),
  };
}

export function serializeItem(i: PayoutItemsTable) {
  return {
    ref: i.ref, reference: i.reference, name_account: i.name_account, identification_number: i.identification_number,
    bank_account: i.bank_account, bank: BANKS[i.bank_code], amount: formatMinor(Number(i.amount_minor)),
    phone: i.phone, email: i.email, status: i.status,
  };
}
