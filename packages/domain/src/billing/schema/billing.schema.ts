import { listInput } from "@canopy/domain/shared";
import { z } from "zod";

// Inputs and outputs of billing (docs/billing.md). Outputs have schemas too, so that the REST
// and CLI front doors can describe them.

const id = z.string().min(1).max(100);
/** A calendar month in UTC, "YYYY-MM". */
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month such as 2026-11");
const isoDate = z.iso.datetime({ offset: true });
const money = z.object({ amount: z.number().int(), currency: z.string() });

export const statementStatus = z.enum(["open", "issued"]);
export const lineKind = z.enum(["license", "change", "renewal", "usage", "adjustment"]);

export const statementsListInput = listInput.extend({
  month: month.optional(),
  /** `buyer`: what the caller's account owes; `vendor`: what it bills; default: every statement in reach. */
  side: z.enum(["buyer", "vendor"]).optional(),
  /** Statements where this account (in reach) is the buyer or the vendor. */
  accountId: id.optional(),
  status: statementStatus.optional(),
});
export const statementsGetInput = z.strictObject({ id });
export const linesExportInput = listInput.extend({
  limit: z.number().int().min(1).max(5000).default(500),
  statementId: id.optional(),
  month: month.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
export const marginInput = z.strictObject({ month, accountId: id.optional() });

export const statementOutput = z.object({
  id: z.string(),
  buyerId: z.string(),
  vendorId: z.string(),
  currency: z.string(),
  month: z.string(),
  status: statementStatus,
  /** The sum of its lines' prices (so far, while open). */
  total: money,
  lineCount: z.number().int(),
  totalsByKind: z.partialRecord(lineKind, z.number().int()),
  issuedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Statement = z.infer<typeof statementOutput>;
export const statementsPage = z.object({ items: z.array(statementOutput), nextCursor: z.string().nullable() });

export const ratedLineOutput = z.object({
  id: z.string(),
  statementId: z.string(),
  month: z.string(),
  kind: lineKind,
  tier: z.number().int(),
  subscriptionId: z.string(),
  customerId: z.string(),
  buyerId: z.string(),
  vendorId: z.string(),
  mpn: z.string(),
  quantity: z.number().int(),
  periodStart: z.string(),
  periodEnd: z.string(),
  daysBilled: z.number().int(),
  daysInPeriod: z.number().int(),
  unitPrice: z.number().int(),
  price: money,
  /** What the vendor pays its own vendor for this line: shown to the vendor side only (null otherwise, and above the provider). */
  cost: money.nullable(),
  note: z.string().nullable(),
  occurredAt: z.string(),
});
export type RatedLine = z.infer<typeof ratedLineOutput>;
export const linesExportOutput = z.object({
  format: z.enum(["json", "csv"]),
  items: z.array(ratedLineOutput),
  /** The same lines as CSV (header included) when `format` is csv; null otherwise. */
  csv: z.string().nullable(),
  nextCursor: z.string().nullable(),
});

export const marginRow = z.object({
  subscriptionId: z.string(),
  /** The account directly below that was billed (a customer or a sub-reseller). */
  buyerId: z.string(),
  /** The subscription's account (the end customer). */
  customerId: z.string(),
  mpn: z.string(),
  currency: z.string(),
  /** What the account billed for the subscription this month. */
  charged: z.number().int(),
  /** What its own vendor billed it for the same subscription this month (null for the provider). */
  paid: z.number().int().nullable(),
  margin: z.number().int().nullable(),
});
export const marginOutput = z.object({
  accountId: z.string(),
  month: z.string(),
  rows: z.array(marginRow),
  totals: z.array(
    z.object({ currency: z.string(), charged: z.number().int(), paid: z.number().int().nullable(), margin: z.number().int().nullable() }),
  ),
});
export type MarginReport = z.infer<typeof marginOutput>;

export const usageReportInput = z
  .strictObject({
    subscriptionId: id,
    unit: z.string().trim().min(1).max(40),
    quantity: z.number().int().min(0).max(1_000_000_000),
    periodStart: isoDate,
    periodEnd: isoDate,
    idempotencyKey: z.string().min(1).max(200),
  })
  .refine((u) => new Date(u.periodStart) < new Date(u.periodEnd), { message: "must be after periodStart", path: ["periodEnd"] });
export const usageRecordOutput = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  unit: z.string(),
  quantity: z.number().int(),
  periodStart: z.string(),
  periodEnd: z.string(),
  idempotencyKey: z.string(),
  reportedAt: z.string(),
  /** True when this key had been reported before: nothing new was recorded. */
  duplicate: z.boolean(),
});

export type StatementsListInput = z.infer<typeof statementsListInput>;
export type LinesExportInput = z.infer<typeof linesExportInput>;
export type MarginInput = z.infer<typeof marginInput>;
export type UsageReportInput = z.infer<typeof usageReportInput>;
export type UsageRecord = z.infer<typeof usageRecordOutput>;
