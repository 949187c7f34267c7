import { defineMessages } from '../shared/i18n.ts';
import './sandbox.messages.ts';

// The sandbox's developer tools on pages: test clock, test payers, "Desbloquear PIN",
// magic values, "Aprobar como".

export const toolsMsg = defineMessages({
  'sandbox.tools_title': { es: 'Herramientas del sandbox', en: 'Sandbox tools' },
  'sandbox.tools_lead': {
    es: 'Pruebe lo que en producción toma días o depende de otros: el paso del tiempo, pagos que fallan, PIN bloqueados.',
    en: 'Try what takes days or depends on others in production: time passing, failing payments, locked PINs.',
  },
  'sandbox.tools_link': { es: 'Más herramientas del sandbox', en: 'More sandbox tools' },
  'sandbox.clock_title': { es: 'Reloj de prueba', en: 'Test clock' },
  'sandbox.clock_lead': {
    es: 'Adelanta la hora de esta cuenta en el sandbox: sus ventas, solicitudes y dispersiones viven en esa hora. Vencen (3 días), dejan de poder anularse (24 horas) y se liquidan (24 horas) como si el tiempo hubiera pasado.',
    en: 'Moves this account’s sandbox time forward: its sales, requests and payouts live in that time. They expire (3 days), can no longer be annulled (24 hours) and settle (24 hours) as if the time had passed.',
  },
  'sandbox.clock_now': { es: 'Hora de la cuenta', en: 'Account time' },
  'sandbox.clock_offset': { es: 'Adelanto', en: 'Ahead by' },
  'sandbox.clock_real': { es: 'hora real', en: 'real time' },
  'sandbox.clock_amount': { es: 'Adelantar', en: 'Advance by' },
  'sandbox.clock_hours': { es: 'horas', en: 'hours' },
  'sandbox.clock_days': { es: 'días', en: 'days' },
  'sandbox.clock_advance': { es: 'Adelantar el reloj', en: 'Advance the clock' },
  'sandbox.clock_reset': { es: 'Volver a la hora real', en: 'Back to real time' },
  'sandbox.clock_advanced': { es: 'Reloj adelantado {offset}.', en: 'Clock advanced by {offset}.' },
  'sandbox.clock_was_reset': { es: 'El reloj volvió a la hora real.', en: 'The clock is back to real time.' },
  'sandbox.clock_note': {
    es: 'Lo que se hace después queda fechado en la hora de la cuenta. El reloj solo avanza; «Volver a la hora real» no mueve las fechas ya escritas.',
    en: 'What is done afterwards is dated in the account’s time. The clock only moves forward; “Back to real time” does not move dates already written.',
  },
  'sandbox.payers_title': { es: 'Pagadores de prueba', en: 'Test payers' },
  'sandbox.payers_lead': {
    es: 'Personas del sandbox con dinero de prueba para aprobar y pagar: inicie sesión con su usuario y contraseña, confirme con su PIN.',
    en: 'Sandbox people with test money to approve and pay: sign in with their username and password, confirm with their PIN.',
  },
  'sandbox.payers_none': { es: 'Aún no hay pagadores de prueba.', en: 'No test payers yet.' },
  'sandbox.payer_user': { es: 'Usuario', en: 'Username' },
  'sandbox.payer_password': { es: 'Contraseña', en: 'Password' },
  'sandbox.payer_pin': { es: 'PIN', en: 'PIN' },
  'sandbox.payer_identity': { es: 'Cédula / teléfono', en: 'ID / phone' },
  'sandbox.payer_balance': { es: 'Saldo', en: 'Balance' },
  'sandbox.payer_pin_state': { es: 'Estado del PIN', en: 'PIN state' },
  'sandbox.payer_shared': { es: 'demo, de todos', en: 'demo, shared' },
  'sandbox.payer_create': { es: 'Crear pagador de prueba', en: 'Create a test payer' },
  'sandbox.payer_create_hint': {
    es: 'Una persona nueva con Bs. 1.000,00 de prueba, tomados de sus propios fondos de prueba.',
    en: 'A new person with Bs. 1,000.00 of test money, from your own test funding.',
  },
  'sandbox.payer_created': { es: 'Pagador de prueba {username} creado.', en: 'Test payer {username} created.' },
  'sandbox.pin_ok': { es: 'Sin bloqueo', en: 'Not locked' },
  'sandbox.pin_failures': { es: '{n} intento(s) fallido(s)', en: '{n} failed attempt(s)' },
  'sandbox.pin_locked': { es: 'Bloqueado hasta {date}', en: 'Locked until {date}' },
  'sandbox.unlock_pin': { es: 'Desbloquear PIN', en: 'Unlock PIN' },
  'sandbox.unlock_pin_label': { es: 'Desbloquear el PIN de {username}', en: 'Unlock {username}’s PIN' },
  'sandbox.unlock_pin_hint': {
    es: 'Sandbox: borra el bloqueo y los intentos fallidos del PIN de operaciones.',
    en: 'Sandbox: clears the operations PIN’s lockout and failed attempts.',
  },
  'sandbox.pin_unlocked': { es: 'PIN desbloqueado.', en: 'PIN unlocked.' },
  'sandbox.pin_unlocked_of': { es: 'PIN de {username} desbloqueado.', en: '{username}’s PIN unlocked.' },
  'sandbox.magic_title': { es: 'Valores mágicos', en: 'Magic values' },
  'sandbox.magic_lead': {
    es: 'En el sandbox, estos valores provocan el fallo que imitan, con la misma respuesta que el fallo real. En producción son valores corrientes.',
    en: 'In the sandbox these values cause the failure they imitate, with the same answer as the real failure. In production they are ordinary values.',
  },
  'sandbox.magic_field': { es: 'Dónde', en: 'Where' },
  'sandbox.magic_value': { es: 'Valor', en: 'Value' },
  'sandbox.magic_effect': { es: 'Qué pasa', en: 'What happens' },
  'sandbox.approve_as': { es: 'Aprobar como', en: 'Approve as' },
  'sandbox.approve_as_lead': {
    es: 'Apruebe esta compra en nombre de un pagador de prueba, sin iniciar sesión.',
    en: 'Approve this purchase on behalf of a test payer, without signing in.',
  },
  'sandbox.approve_as_tester': { es: 'Comprador de prueba (fondos automáticos)', en: 'Test buyer (automatic funds)' },
  'sandbox.approve_as_failed': { es: 'No se pudo aprobar: {reason}', en: 'Could not approve: {reason}' },
});
