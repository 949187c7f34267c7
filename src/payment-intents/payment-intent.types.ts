// The stored form of an intent's transactions (payment_intents.transactions_json).
// Amounts are integer minor units; the API's JSON numbers are made only at the edge.

export interface StoredItem {
  name: string;
  quantity: number;
  priceMinor: number;
  sku: string | null;
  currency: string;
}

export interface StoredDistribution {
  accountId: string;
  handle: string;
  amountMinor: number;
  description: string;
}

export interface StoredTransaction {
  id: string;
  totalMinor: number;
  currency: string;
  shippingMinor: number;
  taxMinor: number;
  subTotalMinor: number;
  description: string;
  invoiceNumber: string | null;
  /** The merchant's digital account that receives this transaction's funds. */
  destinationAccountId: string;
  destinationHandle: string;
  items: StoredItem[];
  distributions: StoredDistribution[];
}

export const parseTransactions = (json: string): StoredTransaction[] => JSON.parse(json) as StoredTransaction[];
