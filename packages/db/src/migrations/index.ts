import type { Migration } from "kysely";
import * as accountsUsersEvents from "./2026-11-27T00-00_accounts_users_events";
import * as loginThrottle from "./2026-11-27T00-30_login_throttle";
import * as catalogOrders from "./2026-11-27T01-00_catalog_orders";
import * as outbox from "./2026-11-27T02-00_outbox";
import * as provisioning from "./2026-11-27T02-10_provisioning";
import * as webhooks from "./2026-11-27T03-00_webhooks";
import * as credentialChanges from "./2026-11-27T09-00_credential_changes";
import * as webhookDeliveriesQueuedUntil from "./2026-11-27T10-50_webhook_deliveries_queued_until";
import * as loginThrottleByAddress from "./2026-11-30T10-00_login_throttle_by_address";
import * as searchIndexes from "./2026-11-30T20-37_search_indexes";
import * as billing from "./2026-11-30T20-50_billing";
import * as eventActors from "./2026-12-01T02-30_event_actors";
import * as productSearchTerms from "./2026-12-01T05-30_product_search_terms";
import * as accountsPathName from "./2026-12-01T05-40_accounts_path_name";
import * as webhookDeliveriesFailed from "./2026-12-01T05-40_webhook_deliveries_failed";
import * as sessionsUser from "./2026-12-01T16-20_sessions_user";
import * as apiKeysIsvName from "./2026-12-01T16-40_api_keys_isv_name";

// A static list rather than a folder scan: the same migrations run under tsx, vitest and any
// bundler, and a missing import fails the type check instead of silently skipping a migration.
export const migrations: Record<string, Migration> = {
  "2026-11-27T00-00_accounts_users_events": accountsUsersEvents,
  "2026-11-27T00-30_login_throttle": loginThrottle,
  "2026-11-27T01-00_catalog_orders": catalogOrders,
  "2026-11-27T02-00_outbox": outbox,
  "2026-11-27T02-10_provisioning": provisioning,
  "2026-11-27T03-00_webhooks": webhooks,
  "2026-11-27T10-50_webhook_deliveries_queued_until": webhookDeliveriesQueuedUntil,
  "2026-11-27T09-00_credential_changes": credentialChanges,
  "2026-11-30T10-00_login_throttle_by_address": loginThrottleByAddress,
  "2026-11-30T20-37_search_indexes": searchIndexes,
  "2026-11-30T20-50_billing": billing,
  "2026-12-01T02-30_event_actors": eventActors,
  "2026-12-01T05-30_product_search_terms": productSearchTerms,
  "2026-12-01T05-40_accounts_path_name": accountsPathName,
  "2026-12-01T05-40_webhook_deliveries_failed": webhookDeliveriesFailed,
  "2026-12-01T16-20_sessions_user": sessionsUser,
  "2026-12-01T16-40_api_keys_isv_name": apiKeysIsvName,
};
