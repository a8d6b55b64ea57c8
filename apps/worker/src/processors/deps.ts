import type { Db } from "@canopy/db";
import type { ConnectorRegistry } from "@canopy/domain";
import type { Logger } from "pino";

/** What every processor may use; built once by `startWorker`. */
export interface ProcessorDeps {
  db: Db;
  connectors: ConnectorRegistry;
  log: Logger;
}
