import { defineMessages } from '../shared/i18n.ts';

// The back office's side of what businesses ask about their apps, and the names of the
// audit records of businesses' own changes.

export const boRequestsMsg = defineMessages({
  'bo.nav_requests': { es: 'Solicitudes', en: 'Requests' },
  'bo.dash_pending_requests': { es: 'Solicitudes de comercios', en: 'Business requests' },
  'bo.requests_title': { es: 'Solicitudes de comercios pendientes', en: 'Pending business requests' },
  'bo.requests_section': { es: 'Solicitudes del comercio', en: 'Requests from the business' },
  'bo.request_kind_billing': { es: 'API de facturación', en: 'Billing API' },
  'bo.request_kind_home_url': { es: 'Nueva URL del sitio', en: 'New home-page URL' },
  'bo.request_home': { es: 'De {from} a {to}', en: 'From {from} to {to}' },
  'bo.request_status_pending': { es: 'Pendiente', en: 'Pending' },
  'bo.request_status_approved': { es: 'Aprobada', en: 'Approved' },
  'bo.request_status_refused': { es: 'Rechazada', en: 'Refused' },
  'bo.request_approve': { es: 'Aprobar', en: 'Approve' },
  'bo.request_refuse': { es: 'Rechazar', en: 'Refuse' },
  'bo.request_review': { es: 'Revisar', en: 'Review' },
  'bo.request_not_pending': { es: 'Esa solicitud ya no está pendiente.', en: 'That request is no longer pending.' },
  'bo.requests_none': { es: 'No hay solicitudes pendientes.', en: 'No pending requests.' },
  'bo.action.app.create': { es: 'Aplicación registrada por el comercio', en: 'Application registered by the business' },
  'bo.action.app.update': { es: 'Aplicación editada por el comercio', en: 'Application edited by the business' },
  'bo.action.app.rotate_secret': { es: 'Client secret rotado', en: 'Client secret rotated' },
  'bo.action.app.rotate_callback_secret': { es: 'Secreto de firma rotado', en: 'Signing secret rotated' },
  'bo.action.app.logo': { es: 'Logo cambiado', en: 'Logo changed' },
  'bo.action.distribution.request': { es: 'Cuenta de distribución solicitada', en: 'Distribution account requested' },
  'bo.action.distribution.remove': { es: 'Cuenta de distribución retirada', en: 'Distribution account removed' },
  'bo.action.billing.request': { es: 'API de facturación solicitado', en: 'Billing API requested' },
  'bo.action.billing.refuse': { es: 'API de facturación rechazado', en: 'Billing API refused' },
  'bo.action.home_url.request': { es: 'Cambio de URL del sitio solicitado', en: 'Home-page URL change requested' },
  'bo.action.home_url.approve': { es: 'Cambio de URL del sitio aprobado', en: 'Home-page URL change approved' },
  'bo.action.home_url.refuse': { es: 'Cambio de URL del sitio rechazado', en: 'Home-page URL change refused' },
  'bo.action.payment.annul': { es: 'Pago anulado desde el panel', en: 'Payment annulled from the dashboard' },
  'bo.action.payout.submit': { es: 'Dispersión enviada desde el panel', en: 'Payout submitted from the dashboard' },
});
