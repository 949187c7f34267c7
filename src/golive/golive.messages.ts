import { defineMessages } from '../shared/i18n.ts';

export const goliveMsg = defineMessages({
  'golive.title': { es: 'Salir a producción', en: 'Go live' },
  'golive.lead': {
    es: 'Para recibir pagos reales, su aplicación debe cumplir los requisitos de producción. Declárelos aquí; un operador de mPandco los revisará y activará sus llaves.',
    en: 'To receive real payments, your application must meet the production requirements. Declare them here; an mPandco operator will review them and activate your keys.',
  },
  'golive.back': { es: 'Volver a la aplicación', en: 'Back to the application' },
  'golive.sandbox_ready': {
    es: 'En el Sandbox su aplicación ya está lista para usar: el botón de pago y el API de facturación están habilitados para sus pruebas.',
    en: 'In the sandbox your application is already ready to use: the payment button and the billing API are enabled for your tests.',
  },
  'golive.sandbox_next': {
    es: 'Cuando termine sus pruebas, registre su aplicación en producción y solicite allí su activación; luego cambie la URL base y las llaves.',
    en: 'When your tests are done, register your application in production and request its activation there; then change the base URL and the keys.',
  },
  'golive.status': { es: 'Estado', en: 'Status' },
  'golive.stage_live': { es: 'Activa: su aplicación ya recibe pagos en producción.', en: 'Active: your application receives payments in production.' },
  'golive.stage_pending': {
    es: 'Solicitud en revisión, enviada el {date}. Le avisaremos cuando un operador la decida.',
    en: 'Request under review, sent on {date}. An operator will decide on it.',
  },
  'golive.stage_refused': { es: 'Su solicitud del {date} fue rechazada.', en: 'Your request of {date} was refused.' },
  'golive.stage_refused_reason': { es: 'Motivo: {reason}', en: 'Reason: {reason}' },
  'golive.stage_refused_again': {
    es: 'Corrija lo indicado y envíe una nueva solicitud.', en: 'Fix what was pointed out and send a new request.',
  },
  'golive.stage_none': { es: 'Aún no ha solicitado la activación.', en: 'You have not asked for activation yet.' },
  'golive.stage_suspended': { es: 'La aplicación está suspendida: {reason}', en: 'The application is suspended: {reason}' },
  'golive.stage_revoked': { es: 'La aplicación fue revocada: {reason}', en: 'The application was revoked: {reason}' },
  'golive.requirements': { es: 'Requisitos para producción', en: 'Production requirements' },
  'golive.code_label': { es: 'Código de afiliación de ventas', en: 'Affiliation code from sales' },
  'golive.code_hint': {
    es: 'El código que le entregó el cuerpo de ventas de mPandco y con el que registró su comercio.',
    en: 'The code the mPandco sales team gave you and that you registered your business with.',
  },
  'golive.domain_label': { es: 'Dominio propio (URL del sitio, con HTTPS)', en: 'Own domain (home-page URL, with HTTPS)' },
  'golive.domain_hint': {
    es: 'Es la URL del sitio de su aplicación. Para cambiarla, edítela en la página de la aplicación.',
    en: "It is your application's home-page URL. To change it, edit it on the application's page.",
  },
  'golive.source_label': { es: 'Tengo código fuente propio o acceso a él', en: 'I have my own source code or access to it' },
  'golive.source_desc_label': { es: 'Describa su código fuente', en: 'Describe your source code' },
  'golive.source_desc_hint': {
    es: 'Por ejemplo: tienda WooCommerce propia, repositorio privado en GitHub mantenido por nuestro equipo.',
    en: 'For example: our own WooCommerce shop, a private GitHub repository kept by our team.',
  },
  'golive.hosting_label': { es: 'Alojamiento (servidor propio o de terceros)', en: 'Hosting (own server or third party)' },
  'golive.hosting_hint': { es: 'Proveedor o centro de datos.', en: 'Provider or data centre.' },
  'golive.hosting_desc_label': { es: 'Detalles del alojamiento (opcional)', en: 'Hosting details (optional)' },
  'golive.submit': { es: 'Solicitar activación', en: 'Request activation' },
  'golive.sent': { es: 'Solicitud enviada. Un operador la revisará.', en: 'Request sent. An operator will review it.' },
  'golive.history': { es: 'Solicitudes anteriores', en: 'Earlier requests' },
  'golive.code_required': { es: 'Indique su código de afiliación.', en: 'Enter your affiliation code.' },
  'golive.code_mismatch': {
    es: 'Este no es el código con el que registró su comercio.', en: 'This is not the code your business registered with.',
  },
  'golive.code_not_from_sales': {
    es: 'Su comercio no se registró con un código emitido por ventas. Contacte a atencionalcliente@mpandco.com.',
    en: 'Your business did not register with a code issued by sales. Contact atencionalcliente@mpandco.com.',
  },
  'golive.home_not_https': {
    es: 'La URL del sitio debe usar HTTPS en su dominio propio. Cámbiela en la página de la aplicación.',
    en: "The home-page URL must use HTTPS on your own domain. Change it on the application's page.",
  },
  'golive.source_required': {
    es: 'Se requiere código fuente propio o acceso al mismo.', en: 'Your own source code, or access to it, is required.',
  },
  'golive.describe_source': { es: 'Describa su código fuente (al menos 10 caracteres).', en: 'Describe your source code (at least 10 characters).' },
  'golive.hosting_required': { es: 'Indique dónde está alojado su sitio.', en: 'Say where your site is hosted.' },
  'golive.too_long': { es: 'Admite hasta {max} caracteres.', en: 'Up to {max} characters.' },
  'golive.cannot_pending': { es: 'Ya hay una solicitud en revisión.', en: 'A request is already under review.' },
  'golive.cannot_live': { es: 'La aplicación ya está activa.', en: 'The application is already active.' },
  'golive.cannot_suspended': { es: 'La aplicación está suspendida.', en: 'The application is suspended.' },
  'golive.cannot_revoked': { es: 'La aplicación fue revocada.', en: 'The application was revoked.' },
  'golive.req_pending': { es: 'En revisión', en: 'Under review' },
  'golive.req_approved': { es: 'Aprobada', en: 'Approved' },
  'golive.req_refused': { es: 'Rechazada', en: 'Refused' },
});
