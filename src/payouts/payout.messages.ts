import { defineMessages } from '../shared/i18n.ts';

export const payoutMsg = defineMessages({
  'payout.type_invalid': {
    es: 'El tipo debe ser DISPERSION o DISPERSION_INSTANT_INTERBANK.',
    en: 'The type must be DISPERSION or DISPERSION_INSTANT_INTERBANK.',
  },
  'payout.bank_not_found': {
    es: 'No se ha encontrado un banco para el numero de cuenta ingresado',
    en: 'No bank was found for the account number entered',
  },
  'payout.bank_account_invalid': {
    es: 'La cuenta bancaria debe tener 20 dígitos.',
    en: 'The bank account must have 20 digits.',
  },
  'payout.identification_invalid': {
    es: 'La identificación debe ser V, E, P, J o G seguida de 5 a 9 dígitos.',
    en: 'The identification must be V, E, P, J or G followed by 5 to 9 digits.',
  },
  'payout.batch_empty': { es: 'El lote no tiene elementos.', en: 'The batch has no items.' },
  'payout.batch_not_pending': {
    es: 'Este lote ya fue enviado y no admite cambios.',
    en: 'This batch was already submitted and cannot change.',
  },
  'payout.batch_total_too_large': {
    es: 'Con este monto el total del lote superaría el máximo permitido. Envíe el lote y registre este elemento en uno nuevo.',
    en: 'With this amount the batch total would exceed the maximum allowed. Submit the batch and register this item in a new one.',
  },
  'payout.batch_full': { es: 'El lote alcanzó el máximo de {max} elementos.', en: 'The batch reached its maximum of {max} items.' },
});
