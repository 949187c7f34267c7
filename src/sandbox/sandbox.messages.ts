import { defineMessages } from '../shared/i18n.ts';

// The sandbox's developer tools: what their services refuse, and their names in the audit log.

export const sandboxMsg = defineMessages({
  'sandbox.only': { es: 'Esto solo existe en el sandbox.', en: 'This exists only in the sandbox.' },
  'sandbox.business_only': {
    es: 'El reloj de prueba es de las cuentas de comercio.',
    en: 'The test clock belongs to business accounts.',
  },
  'sandbox.account_unknown': { es: 'No existe esa cuenta en el sandbox.', en: 'There is no such account in the sandbox.' },
  'sandbox.clock_amount_invalid': {
    es: 'Indique un número entero de horas o días (como máximo 3650 días en total).',
    en: 'Enter a whole number of hours or days (at most 3650 days in all).',
  },
  'bo.action.sandbox.clock_advance': { es: 'Reloj de prueba adelantado', en: 'Test clock advanced' },
  'bo.action.sandbox.clock_reset': { es: 'Reloj de prueba en hora real', en: 'Test clock back to real time' },
  'bo.action.sandbox.unlock_pin': { es: 'PIN desbloqueado (sandbox)', en: 'PIN unlocked (sandbox)' },
  'bo.action.sandbox.test_payer': { es: 'Pagador de prueba creado', en: 'Test payer created' },
});
