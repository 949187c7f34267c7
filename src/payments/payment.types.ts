// Codes of the payments resource. Status codes are the contract's; type codes are ours
// (the contract shows 1000 for a payment-button sale) and are listed in docs.

export const PAYMENT_STATUS = {
  canceled: 2000,
  /** Approved, waiting for the receiver. */
  approved: 4000,
  completed: 9000,
} as const;

export const PAYMENT_TYPE = {
  /** A sale of the payment button (intent `sale`). */
  sale: 1000,
  /** A payment request of the billing API (intent `request`). */
  request: 2000,
} as const;

export type PaymentStatus = (typeof PAYMENT_STATUS)[keyof typeof PAYMENT_STATUS];
export type PaymentType = (typeof PAYMENT_TYPE)[keyof typeof PAYMENT_TYPE];
