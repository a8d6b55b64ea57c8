export { createDb, isReachable, type Db, type DbOptions } from "./client";
export { migrateToLatest } from "./migrator";
export { ensureDatabase } from "./ensure-database";
export { isConnectionError } from "./connection-errors";
export { listen, type Listener, type ListenerOptions } from "./notifications";
export * from "./schema";
export { sql, type Transaction, type Kysely, type Selectable, type Insertable, type Updateable } from "kysely";
