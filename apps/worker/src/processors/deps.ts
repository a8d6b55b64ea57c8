import type { Db } from "@canopy/db";
import type { ConnectorRegistry } from "@canopy/domain/commerce";
import type { Logger } from "pino";
import type { WebhookRuntime } from "../webhooks";

/** What every processor may use; built once by `startWorker`. */
export interface ProcessorDeps {
  db: Db;
  connectors: ConnectorRegistry;
  log: Logger;
  webhooks: WebhookRuntime;
  /** Billing's clock: the real time, or a fixed instant in tests (renewals and month ends). */
  now: () => Date;
  /** Told once per finished run of an order (completed, error, cancelled), for the orders counter. */
  onOrderSettled?: (order: { type: string; outcome: string }) => void;
}
