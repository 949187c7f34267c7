import { defineMessages } from '../shared/i18n.ts';

export const withdrawalsMsg = defineMessages({
  'withdraw.title': { es: 'Retirar a mi banco', en: 'Withdraw to my bank' },
  'withdraw.action': { es: 'Retirar', en: 'Withdraw' },
  'withdraw.lead': {
    es: 'Envíe dinero de su cuenta mPandco a una cuenta bancaria venezolana a su nombre. El monto y la comisión se apartan de su saldo al instante; el banco paga en el siguiente lote.',
    en: 'Send money from your mPandco account to a Venezuelan bank account in your name. The amount and the fee leave your balance at once; the bank pays in the next batch.',
  },
  'withdraw.terms': {
    es: 'Comisión {fee} por retiro. Límite diario: {max} y {count} retiros.',
    en: 'Fee {fee} per withdrawal. Daily limit: {max} and {count} withdrawals.',
  },
  'withdraw.today': { es: 'Hoy lleva {amount} en {n} retiro(s).', en: 'Today you have withdrawn {amount} in {n} withdrawal(s).' },
  'withdraw.bank_account': { es: 'Cuenta bancaria (20 dígitos)', en: 'Bank account (20 digits)' },
  'withdraw.bank_account_hint': { es: 'El banco se reconoce por los primeros 4 dígitos.', en: 'The bank is known by the first 4 digits.' },
  'withdraw.holder_document': { es: 'Documento del titular de la cuenta', en: 'Identity document of the account holder' },
  'withdraw.holder_document_hint': {
    es: 'Debe ser el suyo ({document}): solo se retira a cuentas a su nombre.',
    en: 'It must be yours ({document}): withdrawals go only to accounts in your name.',
  },
  'withdraw.amount': { es: 'Monto a recibir (Bs.)', en: 'Amount to receive (Bs.)' },
  'withdraw.submit': { es: 'Retirar', en: 'Withdraw' },
  'withdraw.done': {
    es: 'Retiro solicitado: {amount} más {fee} de comisión apartados de su saldo. Le avisaremos por correo cuando el banco pague.',
    en: 'Withdrawal requested: {amount} plus a {fee} fee set aside from your balance. We will e-mail you when the bank pays.',
  },
  'withdraw.mine': { es: 'Mis retiros', en: 'My withdrawals' },
  'withdraw.none': { es: 'Aún no ha hecho retiros.', en: 'No withdrawals yet.' },
  'withdraw.status_pending': { es: 'En espera', en: 'Waiting' },
  'withdraw.status_exported': { es: 'Enviado al banco', en: 'Sent to the bank' },
  'withdraw.status_paid': { es: 'Pagado', en: 'Paid' },
  'withdraw.status_failed': { es: 'Fallido (devuelto)', en: 'Failed (returned)' },
  'withdraw.not_own_name': {
    es: 'La cuenta debe estar a su nombre: el documento del titular debe ser {document}.',
    en: 'The account must be in your name: the holder’s document must be {document}.',
  },
  'withdraw.account_of_other': {
    es: 'Esta cuenta bancaria ya recibe retiros de otra persona; use una cuenta a su nombre.',
    en: 'This bank account already receives withdrawals of another person; use an account in your name.',
  },
  'withdraw.daily_amount': {
    es: 'Supera el límite diario de {max} (hoy ya lleva {used}).',
    en: 'It passes the daily limit of {max} (you have {used} today).',
  },
  'withdraw.daily_count': { es: 'Ya hizo {max} retiros hoy; vuelva mañana.', en: 'You made {max} withdrawals today; come back tomorrow.' },
  'withdraw.funds': {
    es: 'Saldo insuficiente: el retiro más la comisión suman {total}.',
    en: 'Insufficient balance: the withdrawal plus the fee add up to {total}.',
  },
  'withdraw.not_found': { es: 'No existe ese retiro.', en: 'There is no such withdrawal.' },
  'withdraw.wrong_status': { es: 'Este retiro está «{status}»; esta acción no aplica.', en: 'This withdrawal is "{status}"; this action does not apply.' },
  'withdraw.none_pending': { es: 'No hay retiros en espera para exportar.', en: 'There are no waiting withdrawals to export.' },
  'withdraw.entry_hold': { es: 'Retiro a {bank} {account}', en: 'Withdrawal to {bank} {account}' },
  'withdraw.entry_paid': { es: 'Retiro pagado por el banco', en: 'Withdrawal paid by the bank' },
  'withdraw.entry_failed': { es: 'Retiro fallido, devuelto', en: 'Withdrawal failed, returned' },
});
