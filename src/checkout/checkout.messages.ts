import { defineMessages } from '../shared/i18n.ts';

export const checkoutMsg = defineMessages({
  'checkout.title': { es: 'Pagar a {merchant}', en: 'Pay {merchant}' },
  'checkout.pay_to': { es: 'Está pagando a', en: 'You are paying' },
  'checkout.order_from': { es: 'Orden de pago de', en: 'Payment order from' },
  'checkout.total': { es: 'Total a pagar', en: 'Total to pay' },
  'checkout.order': { es: 'Detalle de la compra', en: 'Order details' },
  'checkout.invoice': { es: 'Referencia del comercio: {ref}', en: 'Merchant reference: {ref}' },
  'checkout.item': { es: 'Artículo', en: 'Item' },
  'checkout.quantity': { es: 'Cant.', en: 'Qty' },
  'checkout.price': { es: 'Precio', en: 'Price' },
  'checkout.unit_price': { es: '{quantity} × {price}', en: '{quantity} × {price}' },
  'checkout.subtotal': { es: 'Subtotal', en: 'Subtotal' },
  'checkout.shipping': { es: 'Envío', en: 'Shipping' },
  'checkout.tax': { es: 'Impuestos', en: 'Tax' },
  'checkout.signin_title': { es: 'Inicie sesión para pagar', en: 'Sign in to pay' },
  'checkout.signin_lead': {
    es: 'Use su cuenta mPandco. El comercio no verá su contraseña.',
    en: 'Use your mPandco account. The merchant never sees your password.',
  },
  'checkout.signin_button': { es: 'Iniciar sesión', en: 'Sign in' },
  'checkout.paying_as': { es: 'Pagará con la cuenta de', en: 'Paying with the account of' },
  'checkout.not_you': { es: '¿No es usted? Cambiar de cuenta', en: 'Not you? Switch account' },
  'checkout.balance': { es: 'Saldo disponible', en: 'Available balance' },
  'checkout.authorize': { es: 'Autorizar pago', en: 'Authorize payment' },
  'checkout.cancel': { es: 'Cancelar', en: 'Cancel' },
  'checkout.cancel_return': { es: 'Cancelar y volver al comercio', en: 'Cancel and return to the merchant' },
  'checkout.no_money_moves': {
    es: 'Al autorizar, el comercio confirmará el cobro y recibirá el pago.',
    en: 'Once you authorize, the merchant confirms the charge and receives the payment.',
  },
  'checkout.insufficient': {
    es: 'Su saldo no alcanza para este pago. Le faltan {missing}.',
    en: 'Your balance is not enough for this payment. You are {missing} short.',
  },
  'checkout.sandbox_funds': {
    es: 'En el sandbox puede agregar fondos de prueba desde su cuenta.',
    en: 'In the sandbox you can add test funds from your account.',
  },
  'checkout.go_wallet': { es: 'Ir a mi cuenta', en: 'Go to my account' },
  'checkout.own_intent': {
    es: 'Esta es una orden de cobro de su propio comercio: no puede pagarla usted mismo.',
    en: 'This is a payment order of your own business: you cannot pay it yourself.',
  },
  'checkout.no_account': {
    es: 'Su usuario no tiene una cuenta digital con la que pagar.',
    en: 'Your user has no digital account to pay with.',
  },
  'checkout.not_found': { es: 'No encontramos esta orden de pago.', en: 'We could not find this payment order.' },
  'checkout.unavailable_title': { es: 'Este pago ya no está disponible', en: 'This payment is no longer available' },
  'checkout.unavailable': {
    es: 'Esta orden de pago ya fue autorizada, cancelada o venció. Vuelva al comercio para ver el estado de su compra.',
    en: 'This payment order was already authorized, canceled or has expired. Go back to the merchant to see the status of your order.',
  },
  'checkout.back_to_merchant': { es: 'Volver a {merchant}', en: 'Back to {merchant}' },
  'checkout.secure_note': {
    es: 'Pago protegido por mPandco. Nunca comparta su contraseña ni su PIN.',
    en: 'Payment protected by mPandco. Never share your password or your PIN.',
  },
  'checkout.logo_alt': { es: 'Logo de {merchant}', en: '{merchant} logo' },
});
