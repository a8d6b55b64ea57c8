import { badRequest } from "@canopy/domain/shared";

/**
 * The one rounding rule of billing (docs/billing.md): a line's amount is
 *   unit price × quantity × days billed / days in the period
 * computed exactly (BigInt), then rounded once, half-up on the magnitude (0.5 minor units go
 * away from zero), so a credit is always the exact mirror of the same charge.
 */
export function lineAmount(unitPrice: number, quantity: number, daysBilled: number, daysInPeriod: number): number {
  if (daysInPeriod <= 0) throw new Error("a period has at least one day");
  const numerator = BigInt(unitPrice) * BigInt(quantity) * BigInt(daysBilled);
  const denominator = BigInt(daysInPeriod);
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  const amount = Number(numerator < 0n ? -rounded : rounded);
  if (!Number.isSafeInteger(amount)) throw badRequest("the amount is too large");
  return amount;
}

const DAY_MS = 86_400_000;

/** Whole UTC days since the epoch: proration counts calendar days, not hours. */
export const dayNumber = (at: Date): number => Math.floor(at.getTime() / DAY_MS);

/** Days of [start, end) and the days from `at` (its day included) to the end, clamped to the period. */
export function prorationDays(start: Date, end: Date, at: Date): { daysBilled: number; daysInPeriod: number } {
  const daysInPeriod = Math.max(1, dayNumber(end) - dayNumber(start));
  const daysBilled = Math.min(daysInPeriod, Math.max(0, dayNumber(end) - Math.max(dayNumber(at), dayNumber(start))));
  return { daysBilled, daysInPeriod };
}

/**
 * `at` plus one term, as Postgres adds `interval '1 month'` / `'1 year'` in UTC: the same day of
 * the next month or year, or that month's last day when it has fewer days (31 Jan → 28/29 Feb).
 */
export function addTerm(at: Date, period: "month" | "year"): Date {
  const months = period === "year" ? 12 : 1;
  const target = at.getUTCMonth() + months;
  const year = at.getUTCFullYear() + Math.floor(target / 12);
  const month = target % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}

/** "YYYY-MM" of the UTC calendar month `at` falls in. */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/** The first day of a "YYYY-MM" month, as the `date` column stores it. */
export const monthStartDay = (month: string): string => `${month}-01`;

export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return monthOf(new Date(Date.UTC(y, m, 1)));
}

/** The instant a "YYYY-MM" month starts (UTC). */
export function monthStart(month: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1));
}
