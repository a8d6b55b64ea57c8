import { type Database, type Kysely, sql } from "@canopy/db";
import type { ConnectorOperation } from "./connector";

type Db = Kysely<Database>;

/**
 * The simulated ISV application's own idempotency store: the first call with a key carries
 * out the operation (inserts the row); later calls only count themselves and get the first
 * answer back. `xmax = 0` tells a fresh insert from an upsert that hit an existing row.
 */
export async function recordIsvCall(
  db: Db,
  call: { idempotencyKey: string; operation: ConnectorOperation; serviceRef: string; quantity: number | null },
): Promise<{ serviceRef: string; firstCall: boolean }> {
  const row = await db
    .insertInto("demo_isv_calls")
    .values({
      idempotency_key: call.idempotencyKey,
      operation: call.operation,
      service_ref: call.serviceRef,
      quantity: call.quantity,
    })
    .onConflict((oc) =>
      oc.columns(["idempotency_key", "operation"]).doUpdateSet({
        calls: sql`demo_isv_calls.calls + 1`,
        last_called_at: sql`now()`,
      }),
    )
    .returning(["service_ref", sql<boolean>`xmax = 0`.as("first_call")])
    .executeTakeFirstOrThrow();
  return { serviceRef: row.service_ref, firstCall: row.first_call };
}

export interface IsvCallRecord {
  idempotencyKey: string;
  operation: string;
  serviceRef: string;
  quantity: number | null;
  calls: number;
}

/** What the simulated ISV has carried out, for tests and benchmarks. */
export async function listIsvCalls(db: Db, operation?: ConnectorOperation): Promise<IsvCallRecord[]> {
  let query = db.selectFrom("demo_isv_calls").selectAll().orderBy("first_called_at");
  if (operation) query = query.where("operation", "=", operation);
  const rows = await query.execute();
  return rows.map((r) => ({
    idempotencyKey: r.idempotency_key,
    operation: r.operation,
    serviceRef: r.service_ref,
    quantity: r.quantity,
    calls: r.calls,
  }));
}
