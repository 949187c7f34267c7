import { defineMessages } from '../shared/i18n.ts';

// What each e-mail says. Paragraphs are separated by a blank line; {name} is the person.
export const mailMsg = defineMessages({
  'mail.greeting': { es: 'Hola, {name}:', en: 'Hello {name},' },
  'mail.footer': {
    es: 'Este mensaje lo envió mPandco automáticamente; no lo responda. Si no reconoce esta operación, escríbanos desde su cuenta.',
    en: 'This message was sent by mPandco automatically; do not reply to it. If you do not recognize this operation, write to us from your account.',
  },
  'mail.password_reset.subject': { es: 'Restablezca su contraseña de mPandco', en: 'Reset your mPandco password' },
  'mail.password_reset.body': {
    es: 'Recibimos una solicitud para restablecer la contraseña de su usuario {username}.\n\nEl enlace sirve una sola vez y vence en {minutes} minutos. Si usted no lo pidió, ignore este correo: su contraseña no cambia.',
    en: 'We received a request to reset the password of your user {username}.\n\nThe link works once and expires in {minutes} minutes. If you did not ask for it, ignore this e-mail: your password does not change.',
  },
  'mail.password_reset.action': { es: 'Elegir una contraseña nueva', en: 'Choose a new password' },
  'mail.payment_sent.subject': { es: 'Pago enviado: {amount}', en: 'Payment sent: {amount}' },
  'mail.payment_sent.body': {
    es: 'Usted pagó {amount} a {counterpart}. Referencia {ref}.',
    en: 'You paid {amount} to {counterpart}. Reference {ref}.',
  },
  'mail.payment_received.subject': { es: 'Pago recibido: {amount}', en: 'Payment received: {amount}' },
  'mail.payment_received.body': {
    es: 'Recibió {amount} de {counterpart}. Referencia {ref}. El dinero ya está en su cuenta.',
    en: 'You received {amount} from {counterpart}. Reference {ref}. The money is already in your account.',
  },
  'mail.payment_request.subject': { es: '{merchant} le solicita un pago de {amount}', en: '{merchant} asks you to pay {amount}' },
  'mail.payment_request.body': {
    es: '{merchant} le envió una solicitud de pago por {amount}: {description}\n\nPuede pagarla o rechazarla desde su cuenta.',
    en: '{merchant} sent you a payment request for {amount}: {description}\n\nYou can pay it or decline it from your account.',
  },
  'mail.payment_request.action': { es: 'Ver la solicitud', en: 'See the request' },
  'mail.topup_confirmed.subject': { es: 'Recarga acreditada: {amount}', en: 'Top-up credited: {amount}' },
  'mail.topup_confirmed.body': {
    es: 'Confirmamos su recarga de {amount} (referencia bancaria {reference}). El dinero ya está en su cuenta. Movimiento {ref}.',
    en: 'We confirmed your top-up of {amount} (bank reference {reference}). The money is already in your account. Movement {ref}.',
  },
  'mail.topup_refused.subject': { es: 'Recarga no acreditada', en: 'Top-up not credited' },
  'mail.topup_refused.body': {
    es: 'No pudimos acreditar su recarga de {amount} (referencia bancaria {reference}).\n\nMotivo: {reason}',
    en: 'We could not credit your top-up of {amount} (bank reference {reference}).\n\nReason: {reason}',
  },
  'mail.withdrawal_paid.subject': { es: 'Retiro pagado: {amount}', en: 'Withdrawal paid: {amount}' },
  'mail.withdrawal_paid.body': {
    es: 'Transferimos {amount} a su cuenta {account} en {bank}.',
    en: 'We transferred {amount} to your account {account} at {bank}.',
  },
  'mail.withdrawal_failed.subject': { es: 'Retiro no realizado', en: 'Withdrawal not made' },
  'mail.withdrawal_failed.body': {
    es: 'El banco no pudo pagar su retiro de {amount} a la cuenta {account}. Devolvimos {returned} (monto y comisión) a su cuenta mPandco.\n\nMotivo: {reason}',
    en: 'The bank could not pay your withdrawal of {amount} to the account {account}. We returned {returned} (amount and fee) to your mPandco account.\n\nReason: {reason}',
  },
  'mail.golive_approved.subject': { es: 'Su aplicación {app} está activa en producción', en: 'Your application {app} is live in production' },
  'mail.golive_approved.body': {
    es: 'Un operador revisó su solicitud y activó la aplicación {app}: ya puede recibir pagos reales con sus llaves de producción.',
    en: 'An operator reviewed your request and activated the application {app}: it can now receive real payments with its production keys.',
  },
  'mail.golive_refused.subject': { es: 'Solicitud de salida a producción de {app}: rechazada', en: 'Going-live request of {app}: refused' },
  'mail.golive_refused.body': {
    es: 'Un operador revisó su solicitud para la aplicación {app} y no pudo aprobarla.\n\nMotivo: {reason}\n\nCorrija lo indicado y envíe una nueva solicitud.',
    en: 'An operator reviewed your request for the application {app} and could not approve it.\n\nReason: {reason}\n\nFix what is said and send a new request.',
  },
  'mail.billing_granted.subject': { es: 'API de facturación habilitado para {app}', en: 'Billing API granted for {app}' },
  'mail.billing_granted.body': {
    es: 'La aplicación {app} ya puede crear solicitudes de pago con el API de facturación.',
    en: 'The application {app} can now create payment requests with the billing API.',
  },
  'mail.billing_refused.subject': { es: 'API de facturación para {app}: rechazado', en: 'Billing API for {app}: refused' },
  'mail.billing_refused.body': {
    es: 'Un operador revisó su solicitud del API de facturación para la aplicación {app} y no pudo aprobarla.\n\nMotivo: {reason}',
    en: 'An operator reviewed your billing API request for the application {app} and could not approve it.\n\nReason: {reason}',
  },
  'mail.open_account': { es: 'Abrir mi cuenta', en: 'Open my account' },
  'mail.title': { es: 'Correo', en: 'Mail' },
  'mail.lead_sandbox': {
    es: 'Sandbox: aquí quedan todos los correos que la plataforma envía; ninguno sale a Internet.',
    en: 'Sandbox: every e-mail the platform sends stays here; none leaves for the Internet.',
  },
  'mail.none': { es: 'Aún no hay correos.', en: 'No e-mail yet.' },
  'mail.to': { es: 'Para', en: 'To' },
  'mail.subject': { es: 'Asunto', en: 'Subject' },
  'mail.when': { es: 'Fecha', en: 'Date' },
  'mail.status': { es: 'Estado', en: 'Status' },
  'mail.status_pending': { es: 'En cola', en: 'Queued' },
  'mail.status_sent': { es: 'Enviado', en: 'Sent' },
  'mail.status_stored': { es: 'Guardado', en: 'Stored' },
  'mail.status_failed': { es: 'Falló', en: 'Failed' },
  'mail.html_version': { es: 'Ver versión HTML', en: 'See the HTML version' },
  'mail.back': { es: 'Volver al correo', en: 'Back to the mail' },
  'mail.attempts': { es: 'Intentos: {n}', en: 'Attempts: {n}' },
});
