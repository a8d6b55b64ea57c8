// Billing: terms and renewal, usage, rating at every tier of the chain, monthly statements and
// margin reports. It learns of orders from their events (the worker calls it); nothing calls it back.

export { addTerm, dayNumber, lineAmount, monthOf, monthStart, nextMonth, prorationDays } from "./periods/amounts";
export { rateCompletedOrder, rateSubscriptionOrders } from "./rating/orders.rating";
export { loadSubscriptionChain, type SubscriptionChain, type Tier } from "./rating/price-chain";
export { type Charge, type RatedCharge, rateCharge } from "./rating/rating";
export { dueCount, expiryKey, type RenewalRun, renewalKey, renewDue } from "./renewal/renewal.service";
export * from "./schema/billing.schema";
export { type CloseResult, closeMonths, closeStatement, overdueStatements } from "./statements/closing";
export { linesCsv } from "./statements/lines-csv";
export * as statements from "./statements/statements.service";
export { reportSignedUsage, type SignedUsageReport } from "./usage/isv-callback";
export * as usage from "./usage/usage.service";
