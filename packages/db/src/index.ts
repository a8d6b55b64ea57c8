export {
  type Expression,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  sql,
  type Transaction,
  type Updateable,
} from "kysely";
export { createDb, type Db, type DbOptions, isReachable } from "./client";
export { isConnectionError } from "./connection-errors";
export { ensureDatabase } from "./ensure-database";
export { migrateToLatest } from "./migrator";
export { type Listener, type ListenerOptions, listen } from "./notifications";
export { sendAhead } from "./pipelined-transactions";
export * from "./schema";
