import { defineMessages } from '../shared/i18n.ts';

// The page where a person sees and withdraws the access granted to other businesses' apps.
// What an app may do is described with the consent page's own wording (oauth.consent.can_*).
export const accessMsg = defineMessages({
  'access.nav': { es: 'Aplicaciones conectadas', en: 'Connected apps' },
  'access.title': { es: 'Aplicaciones con acceso a tu cuenta', en: 'Apps with access to your account' },
  'access.lead': {
    es: 'Estas aplicaciones de otros comercios recibieron su autorización y pueden actuar en su nombre. Retire el acceso de las que ya no use.',
    en: 'These apps of other businesses received your authorization and may act on your behalf. Remove access from the ones you no longer use.',
  },
  'access.none': {
    es: 'Ninguna aplicación tiene acceso a su cuenta.',
    en: 'No app has access to your account.',
  },
  'access.none_hint': {
    es: 'Cuando autorice una aplicación en la página de consentimiento, aparecerá aquí.',
    en: 'When you authorize an app on the consent page, it will appear here.',
  },
  'access.site': { es: 'Sitio', en: 'Website' },
  'access.granted': { es: 'Acceso otorgado', en: 'Access granted' },
  'access.last_used': { es: 'Último uso', en: 'Last used' },
  'access.can': { es: 'Puede en su nombre:', en: 'It may, on your behalf:' },
  'access.scope_other': { es: 'Alcance «{scope}».', en: 'Scope "{scope}".' },
  'access.revoke': { es: 'Retirar acceso', en: 'Remove access' },
  'access.revoke_label': { es: 'Retirar acceso a {app}', en: 'Remove access for {app}' },
  'access.revoke_note': {
    es: 'La aplicación dejará de poder usar su cuenta de inmediato; para volver a usarla tendrá que autorizarla de nuevo.',
    en: 'The app stops being able to use your account at once; to use it again you will have to authorize it anew.',
  },
  'access.revoked': { es: 'Se retiró el acceso de {app} a su cuenta.', en: 'Access for {app} to your account was removed.' },
  'access.working': { es: 'Retirando…', en: 'Removing…' },
});
