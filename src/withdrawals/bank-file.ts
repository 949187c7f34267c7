import { formatMinor } from '../shared/money.ts';

export interface BankFileRow { id: string; bank_code: string; bank_account: string; holder_document: string; holder_name: string; amount_minor: number }

const cell = (s: string) => (/[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The file an operator hands to the bank: one credit per row, semicolon-separated with a
 * header, amounts with a decimal point and two decimals (what bank upload screens take).
 * The reference is the withdrawal's id, so the bank's answer can be matched back.
 */
export function bankFile(rows: BankFileRow[]): string {
  const lines = ['referencia;banco;cuenta;documento;titular;monto'];
  for (const r of rows) {
    lines.push([r.id, r.bank_code, r.bank_account, r.holder_document, cell(r.holder_name.replace(/^[=+\-@]/, "'$&")), formatMinor(Number(r.amount_minor))].join(';'));
  }
  return `${lines.join('\r\n')}\r\n`;
}
