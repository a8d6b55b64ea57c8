import { freeFormJsonObject, listInput, money, moneyInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";

const id = z.string().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);

/** MPNs are vendors' codes ("MS-O365-E3", "acme.backup/1TB"): letters, digits and . _ - / : + */
export const mpn = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:+]*$/, "letters, digits and . _ - / : + only, starting with a letter or digit");

export const productStatus = z.enum(["draft", "published", "retired"]);
export const billingPeriod = z.enum(["month", "year"]);
/**
 * The term a subscription runs for and renews by. `billingPeriod` (`month` | `year`) is its older
 * name, still accepted and returned; both are stored as one column.
 */
export const term = z.enum(["monthly", "annual"]);
/** `license`: a fee per unit per term; `payg`: a price per reported unit of usage. */
export const billingModel = z.enum(["license", "payg"]);
export type Term = z.infer<typeof term>;
export type BillingPeriod = z.infer<typeof billingPeriod>;
export const termOf = (period: BillingPeriod): Term => (period === "year" ? "annual" : "monthly");
export const periodOfTerm = (t: Term): BillingPeriod => (t === "annual" ? "year" : "month");

/** The one stored period from `term` and/or `billingPeriod`; undefined when neither is given. */
export function resolvePeriod(input: { term?: Term; billingPeriod?: BillingPeriod }): BillingPeriod | undefined {
  return input.term ? periodOfTerm(input.term) : input.billingPeriod;
}
const periodsAgree = (p: { term?: Term; billingPeriod?: BillingPeriod }) =>
  p.term === undefined || p.billingPeriod === undefined || periodOfTerm(p.term) === p.billingPeriod;
const periodsIssue = { message: "term and billingPeriod disagree (monthly = month, annual = year); give one", path: ["term"] };
/** The connector that provisions the product (docs/orders.md: `http`, `demo`; the worker knows them). */
export const connectorName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "a lower-case connector name such as http or demo");
/** Connector settings (an endpoint URL…). Not for secrets: those stay in the worker's configuration. */
export const connectorConfig = freeFormJsonObject({ maxBytes: 16 * 1024, sizeLabel: "16 KiB" });
const quantityBound = z.number().int().min(1).max(1_000_000);

const quantityRangeOk = (p: { minQuantity?: number; maxQuantity?: number }) =>
  p.minQuantity === undefined || p.maxQuantity === undefined || p.minQuantity <= p.maxQuantity;
const quantityRangeIssue = { message: "must be at least minQuantity", path: ["maxQuantity"] };

export const productsCreateInput = z
  .strictObject({
    mpn,
    name: text(200),
    description: text(4000).optional(),
    isvName: text(200),
    connector: connectorName,
    connectorConfig: connectorConfig.optional(),
    unit: text(40),
    billingPeriod: billingPeriod.optional(),
    term: term.optional(),
    billingModel: billingModel.default("license"),
    minQuantity: quantityBound,
    maxQuantity: quantityBound,
    msrp: moneyInput,
  })
  .refine(quantityRangeOk, quantityRangeIssue)
  .refine(periodsAgree, periodsIssue)
  .refine((p) => p.term !== undefined || p.billingPeriod !== undefined, { message: "is required (or billingPeriod)", path: ["term"] });

export const productsUpdateInput = z
  .strictObject({
    id,
    /** When given, a stale version is a CONFLICT (optimistic concurrency, as for accounts). */
    version: z.number().int().positive().optional(),
    name: text(200).optional(),
    description: text(4000).nullable().optional(),
    isvName: text(200).optional(),
    connector: connectorName.optional(),
    connectorConfig: connectorConfig.nullable().optional(),
    unit: text(40).optional(),
    billingPeriod: billingPeriod.optional(),
    term: term.optional(),
    billingModel: billingModel.optional(),
    minQuantity: quantityBound.optional(),
    maxQuantity: quantityBound.optional(),
    msrp: moneyInput.optional(),
  })
  .refine(quantityRangeOk, quantityRangeIssue)
  .refine(periodsAgree, periodsIssue);

/** By id or by MPN: exactly one of them (one object rather than a union, so REST can take it as query parameters). */
export const productsGetInput = z
  .strictObject({ id: id.optional(), mpn: mpn.optional() })
  .refine((by) => (by.id === undefined) !== (by.mpn === undefined), "give either id or mpn");

export const productsListInput = listInput.extend({
  mpn: mpn.optional(),
  /**
   * Text search over name and MPN, every word in any order (docs/catalog.md#search: beginnings of
   * words, MPN fragments). At least 3 characters; exact codes go in `mpn`.
   */
  q: z.string().trim().min(3, "must be at least 3 characters (use mpn for an exact code)").max(100).optional(),
  isvName: text(200).optional(),
  status: productStatus.optional(),
});

export type ProductsCreateInput = z.infer<typeof productsCreateInput>;
export type ProductsUpdateInput = z.infer<typeof productsUpdateInput>;
export type ProductsGetInput = z.infer<typeof productsGetInput>;
export type ProductsListInput = z.infer<typeof productsListInput>;

export const product = z
  .object({
    id: z.string(),
    mpn: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    isvName: z.string(),
    connector: z.string(),
    /** Shown to the provider only; null for everyone else. */
    connectorConfig: z.record(z.string(), z.unknown()).nullable(),
    unit: z.string(),
    billingPeriod,
    term,
    billingModel,
    minQuantity: z.number().int(),
    maxQuantity: z.number().int(),
    msrp: money,
    status: productStatus,
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: "Product" });
export const productsPage = pageOutput(product);
export type Product = z.infer<typeof product>;
