import type { ColumnType } from "kysely";
import type { DefaultedTimestamp } from "./core";

/** The demo connector's simulated ISV: its durable idempotency store (one row per effect). */
export interface DemoIsvCallsTable {
  idempotency_key: string;
  operation: string;
  service_ref: string;
  quantity: number | null;
  calls: ColumnType<number, number | undefined, number>;
  first_called_at: DefaultedTimestamp;
  last_called_at: DefaultedTimestamp;
}

export interface OutboxTables {
  demo_isv_calls: DemoIsvCallsTable;
}

export type DemoIsvCallRow = import("kysely").Selectable<DemoIsvCallsTable>;
