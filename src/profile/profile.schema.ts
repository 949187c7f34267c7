import { Type } from 'typebox';
import { profileExample } from '../docs/examples.ts';
import { apiSchema, Currency, Nullable } from '../http/schema.ts';

const Profile = Type.Object({
  id: Type.String(), username: Type.String(), full_name: Type.String(), business_name: Nullable(Type.String()),
  identity_document: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()),
  type: Type.String({ enum: ['personal', 'business'] }),
  digital_accounts: Type.Array(Type.Object({
    id: Type.String(), username: Type.String(), name: Type.String(), currency: Currency, balance: Type.Number(),
  })),
}, { examples: [profileExample] });

export const profileSchema = apiSchema({ tags: ['Profile'], summary: 'The calling account, with its digital accounts and balances', ok: Profile });
