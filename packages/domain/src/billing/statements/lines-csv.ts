import type { RatedLine } from "../schema/billing.schema";

const columns = [
  "id",
  "statementId",
  "month",
  "kind",
  "tier",
  "subscriptionId",
  "customerId",
  "buyerId",
  "vendorId",
  "mpn",
  "quantity",
  "periodStart",
  "periodEnd",
  "daysBilled",
  "daysInPeriod",
  "unitPrice",
  "priceAmount",
  "priceCurrency",
  "costAmount",
  "costCurrency",
  "note",
  "occurredAt",
] as const;

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
const field = (value: unknown): string => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Rated lines as CSV with a header row; amounts stay integer minor units. */
export function linesCsv(lines: RatedLine[]): string {
  const rows = lines.map((l) => {
    const flat: Record<(typeof columns)[number], unknown> = {
      ...l,
      priceAmount: l.price.amount,
      priceCurrency: l.price.currency,
      costAmount: l.cost?.amount,
      costCurrency: l.cost?.currency,
    };
    return columns.map((c) => field(flat[c])).join(",");
  });
  return `${[columns.join(","), ...rows].join("\r\n")}\r\n`;
}
