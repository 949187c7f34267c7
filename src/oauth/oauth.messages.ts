import { defineMessages } from '../shared/i18n.ts';

// Token endpoint descriptions (error_description of RFC 6749 section 5.2) and the consent page.
export const oauthMsg = defineMessages({
  'oauth.token.grant_type_missing': { es: 'Falta el parámetro grant_type.', en: 'The grant_type parameter is missing.' },
  'oauth.token.grant_unsupported': {
    es: 'Tipo de concesión no soportado. Use urn:client_apps, refresh_token o authorization_code.',
    en: 'Unsupported grant type. Use urn:client_apps, refresh_token or authorization_code.',
  },
  'oauth.token.param_missing': { es: 'Falta el parámetro {param}.', en: 'The {param} parameter is missing.' },
  'oauth.token.param_invalid': { es: 'El parámetro {param} no es válido.', en: 'The {param} parameter is not valid.' },
  'oauth.token.client_invalid': {
    es: 'Credenciales de cliente inválidas (client_id o client_secret).',
    en: 'Invalid client credentials (client_id or client_secret).',
  },
  'oauth.token.client_missing': {
    es: 'Faltan las credenciales del cliente (client_id y client_secret, o HTTP Basic).',
    en: 'Client credentials are missing (client_id and client_secret, or HTTP Basic).',
  },
  'oauth.token.client_suspended': {
    es: 'La aplicación está suspendida y no puede obtener tokens.',
    en: 'The application is suspended and cannot obtain tokens.',
  },
  'oauth.token.client_revoked': {
    es: 'La aplicación fue revocada y no puede obtener tokens.',
    en: 'The application was revoked and cannot obtain tokens.',
  },
  'oauth.token.grant_not_allowed': {
    es: 'La aplicación no puede usar este tipo de concesión.',
    en: 'The application may not use this grant type.',
  },
  'oauth.token.refresh_invalid': { es: 'El token de actualización no es válido.', en: 'The refresh token is not valid.' },
  'oauth.token.refresh_expired': {
    es: 'El token de actualización expiró por inactividad. Solicite un token nuevo.',
    en: 'The refresh token expired after a period of inactivity. Request a new token.',
  },
  'oauth.token.refresh_reused': {
    es: 'El token de actualización ya fue usado; por seguridad se revocaron los tokens emitidos a partir de él.',
    en: 'The refresh token was already used; for safety the tokens issued from it have been revoked.',
  },
  'oauth.token.refresh_other_client': {
    es: 'El token de actualización fue emitido para otra aplicación.',
    en: 'The refresh token was issued to another application.',
  },
  'oauth.token.code_invalid': { es: 'El código de autorización no es válido.', en: 'The authorization code is not valid.' },
  'oauth.token.code_expired': { es: 'El código de autorización expiró.', en: 'The authorization code has expired.' },
  'oauth.token.code_reused': {
    es: 'El código de autorización ya fue usado; por seguridad se revocaron los tokens emitidos con él.',
    en: 'The authorization code was already used; for safety the tokens issued with it have been revoked.',
  },
  'oauth.token.verifier_invalid': {
    es: 'El code_verifier no corresponde al code_challenge de la autorización.',
    en: 'The code_verifier does not match the code_challenge of the authorization.',
  },
  'oauth.token.redirect_mismatch': {
    es: 'El redirect_uri no coincide con el usado en la autorización.',
    en: 'The redirect_uri does not match the one used in the authorization.',
  },
  'oauth.token.scope_invalid': { es: 'El alcance solicitado no es válido; use API.', en: 'The requested scope is not valid; use API.' },
  'oauth.token.request_invalid': { es: 'Solicitud de token inválida.', en: 'Invalid token request.' },
  'oauth.token.grant_invalid': { es: 'La concesión no es válida.', en: 'The grant is not valid.' },

  'oauth.consent.title': { es: 'Autorizar aplicación', en: 'Authorize application' },
  'oauth.consent.heading': { es: '{app} quiere acceder a su cuenta', en: '{app} wants to access your account' },
  'oauth.consent.signed_in_as': { es: 'Conectado como', en: 'Signed in as' },
  'oauth.consent.by': { es: 'Sitio de la aplicación', en: 'Application website' },
  'oauth.consent.asks': { es: 'Si la autoriza, esta aplicación podrá en su nombre:', en: 'If you authorize it, this application may, on your behalf:' },
  'oauth.consent.can_profile': {
    es: 'Ver su perfil y el saldo de sus cuentas digitales.',
    en: 'See your profile and the balance of your digital accounts.',
  },
  'oauth.consent.can_intents': {
    es: 'Crear órdenes de pago y solicitudes de cobro que usted recibirá, y consultarlas.',
    en: 'Create payment orders and payment requests that you will receive, and look them up.',
  },
  'oauth.consent.can_payments': { es: 'Consultar sus pagos y movimientos.', en: 'Look up your payments and movements.' },
  'oauth.consent.can_payouts': {
    es: 'Registrar pagos masivos (dispersiones) con cargo a su cuenta.',
    en: 'Register mass payouts (dispersions) charged to your account.',
  },
  'oauth.consent.never': {
    es: 'Nunca verá su contraseña ni su PIN de operaciones.',
    en: 'It will never see your password or your operations PIN.',
  },
  'oauth.consent.idle': {
    es: 'El acceso caduca si la aplicación no lo usa durante {days} días.',
    en: 'Access lapses if the application does not use it for {days} days.',
  },
  'oauth.consent.redirect_note': { es: 'Después volverá a {host}.', en: 'Afterwards you will return to {host}.' },
  'oauth.consent.approve': { es: 'Autorizar', en: 'Authorize' },
  'oauth.consent.deny': { es: 'Rechazar', en: 'Deny' },
  'oauth.consent.invalid_client': {
    es: 'La aplicación que solicita acceso no existe o no está activa. Verifique el enlace con el comercio.',
    en: 'The application asking for access does not exist or is not active. Check the link with the merchant.',
  },
  'oauth.consent.invalid_redirect': {
    es: 'La dirección de retorno (redirect_uri) no está registrada para esta aplicación.',
    en: 'The return address (redirect_uri) is not registered for this application.',
  },
  'oauth.consent.bad_decision': { es: 'Elija autorizar o rechazar.', en: 'Choose to authorize or to deny.' },
});
