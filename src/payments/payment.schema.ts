import { Type } from 'typebox';
import { pageOf, paymentExample, summaryExample } from '../docs/examples.ts';
import { apiSchema, IdQuery, Nullable, PageQuery, Paginator } from '../http/schema.ts';

/** `_data`: the human summary of a payment, from the side of the account asking. */
export const PaymentSummary = Type.Object({
  summary_1: Type.String(), summary_2: Type.String(), summary_3: Type.String(), summary_4: Type.String(), summary_5: Type.String(),
  summary_status_color: Type.String(), username: Nullable(Type.String()), user_from: Type.String(), amount: Type.Number(),
  status: Type.String(), type_payment_label: Type.String(),
  summary_amount: Type.Object({ summary_1: Type.String(), summary_2: Type.String() }),
  created_at: Type.String(), external_platform: Type.String(), external_id: Nullable(Type.String()),
}, { examples: [summaryExample] });

const Dated = { created_at: Type.String() };

export const Payment = Type.Object({
  id: Type.String(),
  created_at: Type.String({ examples: ['2026-11-26 18:26:34'] }),
  ref: Type.String({ examples: ['P2611260000001'] }),
  amount_environment_operation: Type.String({ examples: ['240.50'] }),
  amount_total: Type.String({ examples: ['240.50'] }),
  status: Type.Integer({ description: '2000 canceled (annulled), 4000 approved (never: payments complete at once), 9000 completed' }),
  type: Type.Integer({ description: '1000 sale, 2000 request' }),
  recipient: Type.String(),
  user: Type.Object({ id: Type.String(), _data: Type.Object({ fullname: Type.String() }) }),
  payment_methods: Type.Array(Type.Object({
    ...Dated,
    operation_method: Type.Object({
      id: Type.String(), ...Dated, name: Type.String(), description: Type.String(), icon: Type.String(), item_order: Type.Integer(),
      mode_operation: Type.Object({ id: Type.String(), ...Dated, name: Type.String() }),
      childs: Type.Array(Type.Unknown()), mode_form: Type.String(), external_platform: Type.String(),
    }),
    amount_environment_operation: Type.Number(), amount_total: Type.Number(),
    item_operations: Type.Array(Type.Object({ ...Dated, description: Type.String(), amount: Type.Number() })),
  })),
  digital_account_source: Type.Object({ id: Type.String(), ...Dated, name: Type.String() }),
  _data: PaymentSummary,
}, { examples: [paymentExample] });

const tags = ['Payments'];
export const listPaymentsSchema = apiSchema({ tags, summary: "The payments the account sent or received, newest first", querystring: PageQuery, ok: Paginator(Payment, pageOf('/api/payment/.json', paymentExample)) });
export const findPaymentSchema = apiSchema({ tags, summary: 'One payment the account sent or received', querystring: IdQuery, ok: Payment });
