import { FormErrors, type Shape } from '../shared/form.ts';
import { asList, doc, text } from '../shared/input.ts';
import './billing.messages.ts';

// Reads execute/request.json in both shapes clients send:
//   payment_execution[payToken], payment_execution[pin]                       (documentation)
//   payment_execution[transactions][i][id|payToken], payment_execution[pin]   (PHP SDK)
// and the intent id from ?id= or, when the query has none, payment_execution[paymentIntent].

const MAX_TRANSACTIONS = 10;
const MAX_LEN = 64;

export interface ExecuteRequestInput {
  intentId: string;
  payToken: string;
  pin: string;
  /** Transaction ids named by the PHP SDK shape, by position; checked against the intent. */
  transactionIds: (string | undefined)[];
  /** Where a refusal of the pay token is shown in the tree. */
  payTokenPath: (string | number)[];
  shape: Shape;
}

function field(errors: FormErrors, path: (string | number)[], v: unknown, max = MAX_LEN): string | undefined {
  const s = text(v);
  if (s !== undefined && s.length > max) {
    errors.add(path, 'common.too_long');
    return undefined;
  }
  return s;
}

function readTransactions(errors: FormErrors, v: unknown): { id?: string; payToken?: string }[] {
  if (v === undefined || v === null || (typeof v !== 'object' && text(v) === undefined)) return [];
  const list = asList(v);
  if (!list) {
    errors.add(['transactions'], 'common.invalid');
    return [];
  }
  if (list.length > MAX_TRANSACTIONS) {
    errors.add(['transactions'], 'intent.too_many', { max: MAX_TRANSACTIONS });
    return [];
  }
  return list.map((x, i) => ({
    id: field(errors, ['transactions', i, 'id'], doc(x).id),
    payToken: field(errors, ['transactions', i, 'payToken'], doc(x).payToken),
  }));
}

export function readExecuteRequest(query: unknown, body: unknown): ExecuteRequestInput {
  const errors = new FormErrors();
  const pe = doc(doc(body).payment_execution);
  const fromQuery = field(errors, ['paymentIntent'], doc(query).id);
  const fromBody = field(errors, ['paymentIntent'], pe.paymentIntent);
  const txns = readTransactions(errors, pe.transactions);
  const shape: Shape = {
    paymentIntent: null, payToken: null, pin: null, transactions: txns.map(() => ({ id: null, payToken: null })),
  };
  if (!fromQuery && !fromBody && !errors.has(['paymentIntent'])) errors.add(['paymentIntent'], 'intent.id_required');
  if (fromQuery && fromBody && fromQuery !== fromBody) errors.add(['paymentIntent'], 'intent.id_mismatch');

  const top = field(errors, ['payToken'], pe.payToken);
  const tokens: [(string | number)[], string][] = [];
  if (top) tokens.push([['payToken'], top]);
  txns.forEach((t, i) => t.payToken && tokens.push([['transactions', i, 'payToken'], t.payToken]));
  const payTokenPath = tokens[0]?.[0] ?? (txns.length ? ['transactions', 0, 'payToken'] : ['payToken']);
  if (tokens.length === 0) errors.add(payTokenPath, 'billing.pay_token_required');
  const differing = tokens.find(([, v]) => v !== tokens[0][1]);
  if (differing) errors.add(differing[0], 'billing.pay_tokens_differ');

  const pin = text(pe.pin);
  if (!pin) errors.add(['pin'], 'billing.pin_required');
  else if (pin.length > 16) errors.add(['pin'], 'account.pin_invalid');
  errors.throwIfAny(shape);
  return {
    intentId: (fromQuery ?? fromBody)!, payToken: tokens[0][1], pin: pin!, transactionIds: txns.map((t) => t.id), payTokenPath, shape,
  };
}
