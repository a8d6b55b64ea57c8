import { type Db, sql } from "@canopy/db";
import type { ConnectorOperation } from "./connector";

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
