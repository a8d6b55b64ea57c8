import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { DefaultedTimestamp, Timestamp } from "./core";

// Billing tables (migration 2026-11-30T20-50_billing; docs/billing.md).

/** Money and quantity columns are bigint; the pg type parser hands them back as JS numbers. */
type Big = ColumnType<number, number | bigint | string, number | bigint | string>;
type NullableBig = ColumnType<number | null, number | bigint | string | null, number | bigint | string | null>;
/** A `date` column, as "YYYY-MM-DD" both ways (see the type parser in client.ts). */
type Day = string;

export type BillingModel = "license" | "payg";
export type ApiKeyKind = "account" | "isv";
export type ChargeKind = "license" | "change" | "renewal" | "usage";
export type LineKind = ChargeKind | "adjustment";
export type StatementStatus = "open" | "issued";

export interface BillingTermsTable {
  subscription_id: string;
  quantity: number;
  period_start: Timestamp;
  period_end: Timestamp;
}

export interface StatementsTable {
  id: string;
  buyer_id: string;
  buyer_path: string;
  vendor_id: string;
  currency: string;
  month: Day;
  status: Generated<StatementStatus>;
  total_amount: NullableBig;
  line_count: number | null;
  issued_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface UsageRecordsTable {
  id: string;
  subscription_id: string;
  unit: string;
  quantity: Big;
  period_start: Timestamp;
  period_end: Timestamp;
  idempotency_key: string;
  reported_by: string;
  reported_at: Timestamp;
}

export interface ChargesTable {
  id: string;
  source: string;
  subscription_id: string;
  kind: ChargeKind;
  quantity: Big;
  period_start: Timestamp;
  period_end: Timestamp;
  days_billed: number;
  days_in_period: number;
  occurred_at: Timestamp;
}

export interface RatedLinesTable {
  id: string;
  charge_id: string;
  statement_id: string;
  tier: number;
  kind: LineKind;
  subscription_id: string;
  customer_id: string;
  buyer_id: string;
  buyer_path: string;
  vendor_id: string;
  mpn: string;
  quantity: Big;
  unit_price: Big;
  price_amount: Big;
  price_currency: string;
  unit_cost: NullableBig;
  cost_amount: NullableBig;
  cost_currency: string | null;
  note: string | null;
  occurred_at: Timestamp;
}

export interface BillingTables {
  billing_terms: BillingTermsTable;
  statements: StatementsTable;
  usage_records: UsageRecordsTable;
  charges: ChargesTable;
  rated_lines: RatedLinesTable;
}

export type StatementRow = Selectable<StatementsTable>;
export type ChargeRow = Selectable<ChargesTable>;
export type NewChargeRow = Insertable<ChargesTable>;
export type RatedLineRow = Selectable<RatedLinesTable>;
export type NewRatedLineRow = Insertable<RatedLinesTable>;
export type UsageRecordRow = Selectable<UsageRecordsTable>;
