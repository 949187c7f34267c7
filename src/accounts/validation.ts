import { defineMessages } from '../shared/i18n.ts';

export const accountMsg = defineMessages({
  'account.username_invalid': {
    es: 'El usuario debe tener de 3 a 32 caracteres: letras minúsculas, números, punto o guion bajo.',
    en: 'The username must have 3 to 32 characters: lowercase letters, digits, dot or underscore.',
  },
  'account.username_taken': { es: 'Este usuario ya está registrado.', en: 'This username is already taken.' },
  'account.document_invalid': {
    es: 'El documento debe ser V, E o P seguido de 5 a 9 dígitos (J o G para empresas).',
    en: 'The document must be V, E or P followed by 5 to 9 digits (J or G for businesses).',
  },
  'account.document_taken': { es: 'Este documento ya está registrado.', en: 'This document is already registered.' },
  'account.phone_invalid': {
    es: 'El teléfono debe ser 58 + 412, 414, 416, 424 o 426 + 7 dígitos.',
    en: 'The phone must be 58 + 412, 414, 416, 424 or 426 + 7 digits.',
  },
  'account.phone_taken': { es: 'Este teléfono ya está registrado.', en: 'This phone is already registered.' },
  'account.email_invalid': { es: 'El correo electrónico no es válido.', en: 'The email address is not valid.' },
  'account.password_weak': {
    es: 'La contraseña debe tener al menos 8 caracteres, con letras y números.',
    en: 'The password must have at least 8 characters, with letters and digits.',
  },
  'account.pin_invalid': { es: 'El PIN debe tener 4 dígitos.', en: 'The PIN must have 4 digits.' },
  'account.name_invalid': { es: 'Indique el nombre completo.', en: 'Enter the full name.' },
  'account.handle_taken': { es: 'Esta cuenta digital ya existe.', en: 'This digital account already exists.' },
  'account.login_failed': {
    es: 'Usuario o contraseña incorrectos.',
    en: 'Wrong username or password.',
  },
  'account.login_locked': {
    es: 'Demasiados intentos fallidos. Intente de nuevo en {minutes} minutos.',
    en: 'Too many failed attempts. Try again in {minutes} minutes.',
  },
  'account.pin_wrong': { es: 'El PIN es incorrecto.', en: 'The PIN is wrong.' },
  'account.pin_locked': {
    es: 'El PIN está bloqueado por demasiados intentos fallidos. Intente de nuevo en {minutes} minutos.',
    en: 'The PIN is locked after too many failed attempts. Try again in {minutes} minutes.',
  },
  'account.user_not_found': { es: 'No se encontró el usuario indicado.', en: 'The user was not found.' },
  'account.disabled': { es: 'Esta cuenta está deshabilitada.', en: 'This account is disabled.' },
});

const USERNAME = /^[a-z0-9][a-z0-9_.]{2,31}$/;
const PHONE = /^58(412|414|416|424|426)\d{7}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export const normalizeUsername = (s: string): string => s.trim().toLowerCase();
export const isUsername = (s: string): boolean => USERNAME.test(s);

/** "V-19.123.456" -> "V19123456" */
export function normalizeDocument(s: string): string {
  return s.trim().toUpperCase().replace(/[\s.-]/g, '');
}
export function isDocument(s: string, kind: 'personal' | 'business' | 'any' = 'any'): boolean {
  const letters = kind === 'personal' ? 'VEP' : kind === 'business' ? 'JG' : 'VEPJG';
  return new RegExp(`^[${letters}]\\d{5,9}$`).test(s);
}

/** "0412-555.0001", "+58 412 5550001" -> "584125550001" */
export function normalizePhone(s: string): string {
  let d = s.replace(/[^\d]/g, '');
  if (d.length === 11 && d.startsWith('0')) d = `58${d.slice(1)}`;
  return d;
}
export const isPhone = (s: string): boolean => PHONE.test(s);
export const isEmail = (s: string): boolean => s.length <= 254 && EMAIL.test(s);
export const isPin = (s: string): boolean => /^\d{4}$/.test(s);
export const isStrongPassword = (s: string): boolean =>
  s.length >= 8 && s.length <= 128 && /[A-Za-z]/.test(s) && /\d/.test(s);
