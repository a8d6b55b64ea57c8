import { Kysely, sql } from "kysely";
import pg from "pg";
import { PipelinedDialect } from "./pipelined-transactions";
import type { Database } from "./schema";

// bigint (int8) columns such as counters and sequence numbers come back as JS numbers; they
// stay far below 2^53 here and numbers keep the wire format plain JSON.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// `date` columns (a statement's month) stay the "YYYY-MM-DD" text Postgres sends: a calendar day
// has no time zone, and a JS Date would give it the process's.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DbOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
}

export type Db = Kysely<Database>;

export function createDb({ connectionString, max = 10, applicationName = "canopy" }: DbOptions): Db {
  // Pipeline mode lets a transaction's BEGIN go out with its first statement, and its last writes
  // with its COMMIT (see pipelined-transactions.ts).
  const pool = new pg.Pool({ connectionString, max, application_name: applicationName, pipeline: true });
  // A connection lost to a Postgres restart must not crash the process. pg-pool listens for
  // errors of idle clients only (the pool's "error" event) and removes that listener while a
  // client is checked out, so an error on a client in use would be an unhandled 'error'
  // event. The listener added at connect stays for the client's life; the query in flight is
  // rejected to its caller either way, and the pool discards the broken client on release.
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return new Kysely<Database>({ dialect: new PipelinedDialect({ pool }) });
}

/** For readiness checks: whether the database answers a trivial query. */
export async function isReachable(db: Db): Promise<boolean> {
  return sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
}
