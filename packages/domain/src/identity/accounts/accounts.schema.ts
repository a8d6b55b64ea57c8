import { accountStatuses, listInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";

export const accountType = z.enum(["provider", "reseller", "customer"]);
export const accountStatus = z.enum(accountStatuses);

const trimmed = (max: number) => z.string().trim().min(1).max(max);

export const contactInput = z.strictObject({
  email: z.email().max(320),
  phone: z.string().trim().min(3).max(40).optional(),
});

export const addressInput = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as US or DE"),
  city: trimmed(120).optional(),
  line1: trimmed(200).optional(),
  postalCode: trimmed(20).optional(),
});

export const accountsCreateInput = z.strictObject({
  type: z.enum(["reseller", "customer"]),
  name: trimmed(200),
  vendorId: z.string().min(1).max(100).optional(),
  externalId: trimmed(200).optional(),
  contact: contactInput,
  address: addressInput,
});

export const accountsUpdateInput = z.strictObject({
  id: z.string().min(1).max(100),
  version: z.number().int().positive(),
  name: trimmed(200).optional(),
  externalId: trimmed(200).nullable().optional(),
  contact: contactInput.optional(),
  address: addressInput.optional(),
});

export const accountsSetStatusInput = z.strictObject({
  id: z.string().min(1).max(100),
  status: accountStatus,
  version: z.number().int().positive().optional(),
});

export const accountsListInput = listInput.extend({
  /** Lists this account's subtree (itself included); defaults to the caller's account. */
  rootId: z.string().min(1).max(100).optional(),
  /** Only the accounts directly below this vendor. */
  vendorId: z.string().min(1).max(100).optional(),
  type: accountType.optional(),
  status: accountStatus.optional(),
  externalId: z.string().min(1).max(200).optional(),
  /** Accounts whose name contains every word of it, case-insensitively. */
  q: z.string().trim().min(2, "must be at least 2 characters").max(100).optional(),
});

export type AccountsCreateInput = z.infer<typeof accountsCreateInput>;
export type AccountsUpdateInput = z.infer<typeof accountsUpdateInput>;
export type AccountsSetStatusInput = z.infer<typeof accountsSetStatusInput>;
export type AccountsListInput = z.infer<typeof accountsListInput>;

export const account = z
  .object({
    id: z.string(),
    type: accountType,
    name: z.string(),
    vendorId: z.string().nullable(),
    status: accountStatus,
    externalId: z.string().nullable(),
    contact: z.object({ email: z.string(), phone: z.string().optional() }),
    address: z.object({
      country: z.string(),
      city: z.string().optional(),
      line1: z.string().optional(),
      postalCode: z.string().optional(),
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: "Account" });
export const accountsPage = pageOutput(account);
export type Account = z.infer<typeof account>;
