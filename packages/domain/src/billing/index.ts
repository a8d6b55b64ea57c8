// Billing: terms and renewal, usage, rating at every tier of the chain, monthly statements and
// margin reports. It learns of orders from their events (the worker calls it); nothing calls it back.
export * from "./billing.schema";
export { lineAmount, prorationDays, addTerm, monthOf, nextMonth, monthStart, dayNumber } from "./rating/amounts";
export { loadSubscriptionChain, type SubscriptionChain, type Tier } from "./rating/price-chain";
export { rateCharge, type Charge, type RatedCharge } from "./rating/rating";
export { rateCompletedOrder, rateSubscriptionOrders } from "./rating/orders.rating";
export { closeMonths, closeStatement, overdueStatements, type CloseResult } from "./statements/closing";
export * as statements from "./statements/statements.service";
export { linesCsv } from "./statements/lines-csv";
export * as usage from "./usage/usage.service";
export { renewDue, dueCount, renewalKey, expiryKey, type RenewalRun } from "./renewal/renewal.service";
