import { z } from "zod";
import { badRequest } from "./errors";

/** Money on the wire and in the database: integer minor units and an ISO 4217 code (docs/domain.md). */
export const money = z.object({ amount: z.number().int(), currency: z.string() }).meta({ id: "Money" });
export type Money = z.infer<typeof money>;

// Node's ICU knows the ISO 4217 list, so "ABC" is refused without a hand-kept table.
const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD or EUR")
  .refine((code) => knownCurrencies.has(code), "is not an ISO 4217 currency");

/** Ten billion in a two-decimal currency: far below 2^53 even when multiplied by a quantity. */
export const MAX_AMOUNT = 1_000_000_000_000;

export const moneyInput = z.strictObject({
  amount: z.number().int().min(0).max(MAX_AMOUNT),
  currency: currencyCode,
});

/** unit × quantity, refusing results that a JS number (and so the JSON wire) cannot carry exactly. */
export function multiply(unit: Money, quantity: number): Money {
  const amount = unit.amount * quantity;
  if (!Number.isSafeInteger(amount)) throw badRequest("the order total is too large");
  return { amount, currency: unit.currency };
}

export function sum(amounts: number[], currency: string): Money {
  const amount = amounts.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(amount)) throw badRequest("the order total is too large");
  return { amount, currency };
}
