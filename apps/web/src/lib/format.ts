export interface Money {
  amount: number;
  currency: string;
}

const digitsCache = new Map<string, number>();
/** How many minor units a currency has (2 for EUR, 0 for JPY, 3 for KWD), from the browser's ICU. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Minor units with their currency, in the viewer's locale: {amount: 1250, currency: "EUR"} → "€12.50". */
export function formatMoney(money: Money): string {
  const digits = minorDigits(money.currency);
  return new Intl.NumberFormat(undefined, { style: "currency", currency: money.currency }).format(money.amount / 10 ** digits);
}

/** A decimal typed by a person ("12.5", "12,50") to minor units, or null when it is not an amount. */
export function toMinorUnits(text: string, currency: string): number | null {
  const normalised = text.trim().replace(",", ".");
  const digits = minorDigits(currency);
  if (!new RegExp(`^\\d+(\\.\\d{0,${digits}})?$`).test(normalised)) return null;
  const [whole = "0", fraction = ""] = normalised.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

export function fromMinorUnits(amount: number, currency: string): string {
  return (amount / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** An ISO instant in the viewer's time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "—";
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : "—";
}

export function humanise(word: string): string {
  const spaced = word.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[._]/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}
