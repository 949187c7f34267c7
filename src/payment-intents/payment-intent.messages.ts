import { defineMessages } from '../shared/i18n.ts';

export const intentMsg = defineMessages({
  'intent.intent_invalid': {
    es: 'El tipo de intención debe ser «sale» (botón de pago) o «request» (API de facturación).',
    en: 'The intent must be "sale" (payment button) or "request" (billing API).',
  },
  'intent.return_url_required': { es: 'La URI de retorno es obligatoria.', en: 'The return URI is required.' },
  'intent.cancel_url_required': { es: 'La URI de cancelación es obligatoria.', en: 'The cancel URI is required.' },
  'intent.url_invalid': {
    es: 'Debe ser una URL absoluta (http:// o https://).',
    en: 'It must be an absolute URL (http:// or https://).',
  },
  'intent.url_https_required': {
    es: 'En producción la URL debe usar https://.',
    en: 'In production the URL must use https://.',
  },
  'intent.url_foreign_host': {
    es: 'La URL debe pertenecer al dominio de la aplicación ({host}).',
    en: "The URL must belong to the application's domain ({host}).",
  },
  'intent.transactions_required': {
    es: 'Debe indicar al menos una transacción.',
    en: 'At least one transaction is required.',
  },
  'intent.too_many': { es: 'Se admiten como máximo {max} elementos.', en: 'At most {max} entries are allowed.' },
  'intent.currency_unsupported': {
    es: 'Moneda no soportada: solo se acepta VES.',
    en: 'Unsupported currency: only VES is accepted.',
  },
  'intent.description_required': { es: 'La descripción es obligatoria.', en: 'The description is required.' },
  'intent.item_name_required': { es: 'El nombre del artículo es obligatorio.', en: 'The item name is required.' },
  'intent.quantity_invalid': {
    es: 'La cantidad debe ser un número entero entre 1 y 1000000.',
    en: 'The quantity must be a whole number between 1 and 1000000.',
  },
  'intent.destination_not_own': {
    es: 'La cuenta digital de destino no pertenece a este comercio.',
    en: 'The destination digital account does not belong to this business.',
  },
  'intent.handle_required': { es: 'Indique la cuenta digital.', en: 'Enter the digital account.' },
  'intent.distribution_account_unknown': {
    es: 'La cuenta digital de distribución no existe.',
    en: 'The distribution digital account does not exist.',
  },
  'intent.distribution_not_authorized': {
    es: 'La cuenta {handle} no está autorizada para distribuciones en esta aplicación.',
    en: 'The account {handle} is not authorized for distributions on this application.',
  },
  'intent.distributions_exceed_total': {
    es: 'La suma de las distribuciones ({sum}) supera el total de la transacción ({total}).',
    en: 'The distributions add up to {sum}, more than the transaction total ({total}).',
  },
  'intent.recipient_required': {
    es: 'Indique el pagador: usuario, teléfono o documento de identidad.',
    en: 'Enter the payer: username, phone or identity document.',
  },
  'intent.recipient_not_found': {
    es: 'No se encontró un usuario con ese usuario, teléfono o documento.',
    en: 'No user was found with that username, phone or document.',
  },
  'intent.recipient_is_merchant': {
    es: 'El comercio no puede cobrarse a sí mismo.',
    en: 'The business cannot bill itself.',
  },
  'intent.not_found': { es: 'La intención de pago no existe.', en: 'The payment intent does not exist.' },
  'intent.id_required': { es: 'Indique la intención de pago.', en: 'Enter the payment intent.' },
  'intent.id_mismatch': {
    es: 'La intención de pago del cuerpo no coincide con la de la URL.',
    en: 'The payment intent in the body does not match the one in the URL.',
  },
  'intent.payer_required': { es: 'Indique el pagador.', en: 'Enter the payer.' },
  'intent.wrong_payer': {
    es: 'El pagador no es quien autorizó este pago.',
    en: 'The payer is not the one who authorized this payment.',
  },
  'intent.sandbox_payer_unknown': {
    es: 'No hay una persona activa del sandbox con ese usuario o id de pagador.',
    en: 'There is no active sandbox person with that username or payer id.',
  },
  'intent.sandbox_payer_short': {
    es: 'Ese pagador no tiene saldo suficiente para esta venta. Agregue fondos de prueba desde su billetera.',
    en: 'That payer does not have enough balance for this sale. Add test funds from their wallet.',
  },
  'intent.not_a_sale': {
    es: 'Esta intención de pago no es una venta (sale).',
    en: 'This payment intent is not a sale.',
  },
  'intent.state_created': {
    es: 'El cliente aún no ha autorizado este pago.',
    en: 'The customer has not authorized this payment yet.',
  },
  'intent.state_authorized': { es: 'Este pago ya fue autorizado.', en: 'This payment was already authorized.' },
  'intent.state_executed': { es: 'Este pago ya fue ejecutado.', en: 'This payment was already executed.' },
  'intent.state_canceled': {
    es: 'Este pago fue cancelado o expiró.',
    en: 'This payment was canceled or has expired.',
  },
  'intent.state_annulled': { es: 'Este pago fue anulado.', en: 'This payment was annulled.' },
  'intent.state_rejected': { es: 'El pagador rechazó esta solicitud.', en: 'The payer declined this request.' },
  'intent.payer_no_wallet': {
    es: 'El pagador no tiene una cuenta digital.',
    en: 'The payer has no digital account.',
  },
  'intent.payer_is_merchant': {
    es: 'El comercio no puede pagarse a sí mismo.',
    en: 'The business cannot pay itself.',
  },
  'intent.sandbox_forbidden': {
    es: 'Token de acceso del sandbox inválido.',
    en: 'Invalid sandbox access token.',
  },
  'intent.not_a_request': {
    es: 'Esta intención de pago no es una solicitud de pago (request).',
    en: 'This payment intent is not a payment request.',
  },
  'intent.app_unavailable': {
    es: 'El comercio no puede recibir pagos en este momento.',
    en: 'The business cannot receive payments right now.',
  },
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
