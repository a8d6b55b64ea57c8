import { eventTypes } from "@canopy/domain/event-types";
import { accountStatuses, deliveryStatuses, orderStatuses } from "@canopy/domain/statuses";
import { z } from "zod";
import { isRecentMonth } from "./months";

/**
 * The list filters each screen keeps in its URL's search params, so that a reload, Back and a
 * shared link show the same list. A value that is not one of the choices (an old link, a typo)
 * is dropped rather than refused: the list then shows without that filter.
 */
export const accountTypes = ["reseller", "customer"] as const;

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const text = optional(z.string().trim().min(1).max(200));

export const accountsSearch = z.object({
  q: text,
  type: optional(z.enum(accountTypes)),
  status: optional(z.enum(accountStatuses)),
});
export const ordersSearch = z.object({ status: optional(z.enum(orderStatuses)) });
/** A subscription's statuses, as subscriptions.list takes them (the typecheck holds the two together). */
export const subscriptionStatuses = ["pending", "active", "suspended", "terminated"] as const;
export const subscriptionsSearch = z.object({ status: optional(z.enum(subscriptionStatuses)) });
export const eventsSearch = z.object({ type: optional(z.enum(eventTypes)) });
/** An endpoint's delivery log: any status unless one is chosen. */
export const endpointSearch = z.object({ status: optional(z.enum(deliveryStatuses)) });
/** The operators' deliveries across the platform: the failed ones unless told otherwise ("any": every status). */
export const operationsSearch = z.object({ deliveries: optional(z.enum([...deliveryStatuses, "any"])) });

/** Billing: the statements' filters, and which tab shows (statements unless "margin") with the margin report's month. */
export const statementSides = ["buyer", "vendor"] as const;
export const statementStatuses = ["open", "issued"] as const;
export const billingTabs = ["statements", "margin"] as const;
// One of the months the pickers offer: a month further back is dropped like any other stale value.
const month = optional(z.string().refine((m) => isRecentMonth(m)));
export const billingSearch = z.object({
  tab: optional(z.enum(billingTabs)),
  month,
  side: optional(z.enum(statementSides)),
  status: optional(z.enum(statementStatuses)),
  /** The margin report's month: the current one when absent. */
  marginMonth: month,
});

/** A `validateSearch` for the router from one of the schemas above. */
export const searchOf =
  <T extends z.ZodType>(schema: T) =>
  (search: Record<string, unknown>): z.output<T> =>
    schema.parse(search);
