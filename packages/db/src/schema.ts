// One Database interface, assembled from each area's tables (kysely's recommended shape).
import type { BillingTables } from "./tables/billing";
import type { CommerceTables } from "./tables/commerce";
import type { CoreTables } from "./tables/core";
import type { OutboxTables } from "./tables/outbox";
import type { ProvisioningTables } from "./tables/provisioning";
import type { WebhooksTables } from "./tables/webhooks";

export * from "./tables/billing";
export * from "./tables/commerce";
export * from "./tables/core";
export * from "./tables/outbox";
export * from "./tables/provisioning";
export * from "./tables/webhooks";

export interface Database extends CoreTables, BillingTables, CommerceTables, OutboxTables, ProvisioningTables, WebhooksTables {}
