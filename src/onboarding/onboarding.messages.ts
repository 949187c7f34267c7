import { defineMessages } from '../shared/i18n.ts';

export const onboardingMsg = defineMessages({
  'onboarding.sandbox_token_invalid': {
    es: 'El token de acceso del enlace de códigos no es válido.',
    en: 'The access token of the codes link is not valid.',
  },
  'onboarding.register': { es: 'Registrarse', en: 'Sign up' },
  'onboarding.choose_title': { es: 'Abra su cuenta mPandco', en: 'Open your mPandco account' },
  'onboarding.choose_lead': {
    es: 'Elija el tipo de cuenta. Ambas incluyen una cuenta digital en bolívares.',
    en: 'Choose the kind of account. Both include a digital account in bolivars.',
  },
  'onboarding.personal_title': { es: 'Cuenta personal', en: 'Personal account' },
  'onboarding.personal_lead': {
    es: 'Para personas naturales: pague y envíe dinero desde su cuenta digital.',
    en: 'For individuals: pay and send money from your digital account.',
  },
  'onboarding.business_title': { es: 'Cuenta empresarial', en: 'Business account' },
  'onboarding.business_lead_sandbox': {
    es: 'Para comercios: cobre con el botón de pago y el API de facturación. Requiere un código de afiliación «regular» del enlace de códigos.',
    en: 'For businesses: get paid with the payment button and the billing API. Requires a "regular" affiliation code from the codes link.',
  },
  'onboarding.business_lead_production': {
    es: 'Para comercios: cobre con el botón de pago y el API de facturación. Requiere un código de afiliación entregado por el equipo de ventas de mPandco.',
    en: 'For businesses: get paid with the payment button and the billing API. Requires an affiliation code given by the mPandco sales team.',
  },
  'onboarding.open_personal': { es: 'Abrir cuenta personal', en: 'Open a personal account' },
  'onboarding.open_business': { es: 'Abrir cuenta empresarial', en: 'Open a business account' },
  'onboarding.have_account': { es: '¿Ya tiene una cuenta?', en: 'Already have an account?' },
  'onboarding.section_affiliation': { es: 'Afiliación', en: 'Affiliation' },
  'onboarding.section_access': { es: 'Acceso', en: 'Sign-in details' },
  'onboarding.section_person': { es: 'Datos personales', en: 'Personal details' },
  'onboarding.section_business': { es: 'Datos de la empresa', en: 'Business details' },
  'onboarding.section_security': { es: 'Seguridad', en: 'Security' },
  'onboarding.username': { es: 'Usuario', en: 'Username' },
  'onboarding.username_hint': {
    es: 'Será también el nombre de su cuenta digital (ej. pizzaexpress). Minúsculas, números, punto o guion bajo.',
    en: 'It will also name your digital account (e.g. pizzaexpress). Lowercase letters, digits, dot or underscore.',
  },
  'onboarding.password_hint': { es: 'Al menos 8 caracteres, con letras y números.', en: 'At least 8 characters, with letters and digits.' },
  'onboarding.full_name': { es: 'Nombre completo', en: 'Full name' },
  'onboarding.legal_rep': { es: 'Nombre del representante legal', en: 'Legal representative’s name' },
  'onboarding.business_name': { es: 'Razón social', en: 'Business name' },
  'onboarding.document': { es: 'Documento de identidad', en: 'Identity document' },
  'onboarding.document_hint_personal': { es: 'V, E o P seguido de los dígitos (ej. V19123456).', en: 'V, E or P followed by the digits (e.g. V19123456).' },
  'onboarding.document_hint_business': { es: 'RIF: J o G seguido de los dígitos (ej. J401234567).', en: 'Tax id (RIF): J or G followed by the digits (e.g. J401234567).' },
  'onboarding.phone': { es: 'Teléfono móvil', en: 'Mobile phone' },
  'onboarding.phone_hint': { es: 'Ej. 04125550001 o 584125550001.', en: 'E.g. 04125550001 or 584125550001.' },
  'onboarding.email': { es: 'Correo electrónico', en: 'Email' },
  'onboarding.pin': { es: 'PIN de operaciones', en: 'Operations PIN' },
  'onboarding.pin_hint': {
    es: '4 dígitos. Lo usará para autorizar envíos y pagos; no lo comparta.',
    en: '4 digits. You will use it to authorize transfers and payments; do not share it.',
  },
  'onboarding.code': { es: 'Código de afiliación', en: 'Affiliation code' },
  'onboarding.code_hint_sandbox': {
    es: 'Use el código «regular» que entrega el enlace de códigos.',
    en: 'Use the "regular" code given by the codes link.',
  },
  'onboarding.code_hint_production': {
    es: 'El código que le entregó el equipo de ventas de mPandco.',
    en: 'The code the mPandco sales team gave you.',
  },
  'onboarding.get_codes': { es: 'Obtener códigos de registro', en: 'Get registration codes' },
  'onboarding.submit': { es: 'Crear cuenta', en: 'Create account' },
  'onboarding.fix_errors': { es: 'Revise los campos marcados:', en: 'Please check the marked fields:' },
  'onboarding.terms': {
    es: 'Al crear la cuenta acepta los términos de uso de mPandco.',
    en: 'By creating the account you accept the mPandco terms of use.',
  },
});
