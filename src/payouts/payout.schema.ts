import { Type } from 'typebox';
import { batchExample, batchWithItemsExample, pageOf } from '../docs/examples.ts';
import { apiSchema, Form, IdQuery, MoneyIn, Nullable, PageQuery, Paginator, Scalar } from '../http/schema.ts';

const TypeQuery = Type.Object({
  // Not an enum here: the service names the accepted types in its own 400.
  type: Type.Optional(Type.String({ description: 'DISPERSION (settles in 24 h) or DISPERSION_INSTANT_INTERBANK (at once)', examples: ['DISPERSION'] })),
}, { additionalProperties: true });

export const RegisterItemBody = Form('multi_payment_item', Type.Object({
  reference: Scalar({ maxLength: 4096, examples: ['0001'] }),
  nameAccount: Scalar({ maxLength: 4096, examples: ['Witty Growth'] }),
  identificationNumber: Scalar({ maxLength: 4096, examples: ['j54637469'] }),
  bankAccount: Scalar({ maxLength: 4096, description: '20 digits; the first 4 name the bank', examples: ['01340000000000000000'] }),
  amount: MoneyIn,
  phone: Type.Optional(Scalar({ maxLength: 4096 })),
  email: Type.Optional(Scalar({ maxLength: 4096 })),
}, { additionalProperties: true }));

const Registered = Type.Object({ ref: Type.String(), identification_number: Type.String(), status: Type.Literal('APPROVED') }, {
  examples: [{ ref: 'MP2611260000001', identification_number: 'j54637469', status: 'APPROVED' }],
});

const batchFields = {
  id: Type.String(), ref: Type.String(), type: Type.String(), status: Type.String({ description: 'PENDING_LOAD, PROCESSING, SETTLED' }),
  item_count: Type.Integer(), amount_total: Type.String(), fee_total: Type.String(), debit_total: Type.String(),
  created_at: Type.String(), submitted_at: Nullable(Type.String()),
};
const Batch = Type.Object(batchFields, { examples: [batchExample] });
const BatchWithItems = Type.Object({
  ...batchFields,
  items: Type.Array(Type.Object({
    ref: Type.String(), reference: Type.String(), name_account: Type.String(), identification_number: Type.String(),
    bank_account: Type.String(), bank: Type.String(), amount: Type.String(), phone: Nullable(Type.String()),
    email: Nullable(Type.String()), status: Type.String(),
  })),
}, { examples: [batchWithItemsExample] });

const tags = ['Mass payouts'];
export const registerItemSchema = apiSchema({
  tags, summary: 'Add an item to the batch of that type that is pending to load (opened when there is none)', idempotent: true,
  querystring: TypeQuery, body: RegisterItemBody, ok: Registered,
});
export const registerItemGetSchema = apiSchema({
  tags, summary: "The same as the POST, for the documentation's `curl -X GET -d '{json}'` example (the body is read as JSON or url-encoded)",
  querystring: TypeQuery, ok: Registered,
});
export const listBatchesSchema = apiSchema({ tags, summary: "The account's payout batches, newest first", querystring: PageQuery, ok: Paginator(Batch, pageOf('/api/multipayment/.json', batchExample)) });
export const showBatchSchema = apiSchema({ tags, summary: 'One batch with its items', querystring: IdQuery, ok: BatchWithItems });
export const submitBatchSchema = apiSchema({
  tags, summary: 'Submit the batch: debits the total plus fees once; instant batches settle at once, DISPERSION 24 h later',
  idempotent: true, querystring: IdQuery, ok: BatchWithItems,
});
