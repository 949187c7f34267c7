import { defineMessages } from '../shared/i18n.ts';
import { displayMoney } from '../shared/money.ts';

/** Sandbox test money per operation: generous for tests, small enough to stay readable. */
export const TEST_FUNDS_MAX_MINOR = 1_000_000_00;

export const walletMsg = defineMessages({
  'wallet.send': { es: 'Enviar dinero', en: 'Send money' },
  'wallet.send_lead': {
    es: 'Envíe bolívares al instante a otra cuenta mPandco.',
    en: 'Send bolivars instantly to another mPandco account.',
  },
  'wallet.recipient': { es: 'Destinatario', en: 'Recipient' },
  'wallet.recipient_hint': {
    es: 'Usuario, teléfono (ej. 04125550001) o documento de identidad (ej. V19123456).',
    en: 'Username, phone (e.g. 04125550001) or identity document (e.g. V19123456).',
  },
  'wallet.amount': { es: 'Monto (Bs.)', en: 'Amount (Bs.)' },
  'wallet.amount_hint': { es: 'Hasta 2 decimales, ej. 150,50.', en: 'Up to 2 decimals, e.g. 150.50.' },
  'wallet.note': { es: 'Concepto', en: 'Note' },
  'wallet.continue': { es: 'Continuar', en: 'Continue' },
  'wallet.available': { es: 'Disponible: {amount}', en: 'Available: {amount}' },
  'wallet.confirm_title': { es: 'Confirme el envío', en: 'Confirm the transfer' },
  'wallet.confirm_lead': {
    es: 'Verifique el destinatario y el monto. El envío es inmediato y no se puede deshacer.',
    en: 'Check the recipient and the amount. The transfer is immediate and cannot be undone.',
  },
  'wallet.to': { es: 'Para', en: 'To' },
  'wallet.from': { es: 'Desde', en: 'From' },
  'wallet.pin': { es: 'PIN de operaciones', en: 'Operations PIN' },
  'wallet.pin_hint': { es: 'Sus 4 dígitos. Tras 5 intentos fallidos el PIN se bloquea 15 minutos.', en: 'Your 4 digits. After 5 wrong tries the PIN locks for 15 minutes.' },
  'wallet.confirm': { es: 'Enviar ahora', en: 'Send now' },
  'wallet.edit': { es: 'Modificar', en: 'Change' },
  'wallet.sent_title': { es: 'Envío realizado', en: 'Transfer sent' },
  'wallet.sent_lead': { es: 'El dinero ya está en la cuenta del destinatario.', en: 'The money is already in the recipient’s account.' },
  'wallet.send_another': { es: 'Enviar otro', en: 'Send another' },
  'wallet.back': { es: 'Volver a mi cuenta', en: 'Back to my account' },
  'wallet.recipient_required': { es: 'Indique el destinatario.', en: 'Enter the recipient.' },
  'wallet.self': { es: 'No puede enviarse dinero a sí mismo.', en: 'You cannot send money to yourself.' },
  'wallet.expired': {
    es: 'El formulario expiró. Revise los datos y confirme de nuevo.',
    en: 'The form expired. Check the details and confirm again.',
  },
  'wallet.no_account': { es: 'Su usuario no tiene una cuenta digital.', en: 'Your user has no digital account.' },
  'wallet.test_funds': { es: 'Agregar fondos de prueba', en: 'Add test funds' },
  'wallet.test_funds_lead': {
    es: `Solo en el sandbox: dinero ficticio para probar pagos. Máximo ${displayMoney(TEST_FUNDS_MAX_MINOR, 'es')} por operación.`,
    en: `Sandbox only: make-believe money to test payments. At most ${displayMoney(TEST_FUNDS_MAX_MINOR, 'en')} per operation.`,
  },
  'wallet.test_funds_add': { es: 'Agregar', en: 'Add' },
  'wallet.funds_max': {
    es: `El máximo por operación es ${displayMoney(TEST_FUNDS_MAX_MINOR, 'es')}.`,
    en: `The maximum per operation is ${displayMoney(TEST_FUNDS_MAX_MINOR, 'en')}.`,
  },
  'wallet.funded': { es: 'Fondos de prueba agregados. Referencia {ref}.', en: 'Test funds added. Reference {ref}.' },
  'wallet.actions': { es: 'Operaciones', en: 'Operations' },
});
