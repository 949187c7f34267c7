import { defineMessages } from '../shared/i18n.ts';

export const annulmentMsg = defineMessages({
  'annul.not_executed': {
    es: 'Solo se puede anular un pago ejecutado.',
    en: 'Only an executed payment can be annulled.',
  },
  'annul.window_passed': {
    es: 'Este pago ya no puede anularse: pasaron más de 24 horas desde su ejecución.',
    en: 'This payment can no longer be annulled: more than 24 hours have passed since it was executed.',
  },
  'annul.insufficient_funds': {
    es: 'No se puede anular: el saldo del comercio o de una cuenta de distribución no alcanza para devolver este pago.',
    en: 'It cannot be annulled: the balance of the business or of a distribution account does not cover the refund.',
  },
  'annul.description': { es: 'Anulación del pago {ref}', en: 'Annulment of payment {ref}' },
});
