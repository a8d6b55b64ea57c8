// The statuses of accounts, orders and webhook deliveries, in a module of its own without
// imports (as event-types.ts): the domain's schemas build their enums from these lists, and the
// user panel (apps/web) takes them through `@canopy/domain/statuses` for its list filters.
export const accountStatuses = ["active", "creditHold", "adminHold", "cancelled"] as const;
export const orderStatuses = ["submitted", "processing", "completed", "error", "cancelled"] as const;
export const deliveryStatuses = ["pending", "succeeded", "failed"] as const;
