import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { DefaultedTimestamp, Json, Timestamp } from "./core";

export type ProductStatus = "draft" | "published" | "retired";
export type BillingPeriod = "month" | "year";
export type OrderType = "sales" | "change" | "cancellation" | "renewal";
export type OrderStatus = "submitted" | "processing" | "completed" | "error" | "cancelled";
export type SubscriptionStatus = "pending" | "active" | "suspended" | "terminated";
/** A vendor-side request on a subscription that the worker has not carried out yet. */
export type SubscriptionAction = "suspend" | "resume";

/** Money columns are bigint minor units; the pg type parser hands them back as JS numbers. */
type Amount = ColumnType<number, number | bigint | string, number | bigint | string>;

export interface ProductsTable {
  id: string;
  mpn: string;
  name: string;
  description: string | null;
  isv_name: string;
  connector: string;
  connector_config: Json<Record<string, unknown>> | null;
  unit: string;
  billing_period: BillingPeriod;
  billing_model: Generated<"license" | "payg">;
  min_quantity: number;
  max_quantity: number;
  msrp_amount: Amount;
  msrp_currency: string;
  status: Generated<ProductStatus>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

/**
 * Search terms of products (docs/catalog.md#search): every prefix (≥ 2 characters) of each word
 * of the name and each part of the MPN, lower-cased. Written only by triggers on products.
 */
export interface ProductSearchTermsTable {
  term: string;
  mpn: string;
}

export interface PricesTable {
  vendor_id: string;
  mpn: string;
  amount: Amount;
  currency: string;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface OrdersTable {
  id: string;
  account_id: string;
  account_path: string;
  type: OrderType;
  status: Generated<OrderStatus>;
  total_amount: Amount;
  currency: string;
  idempotency_key: string | null;
  request_hash: string;
  placed_by: string;
  error_message: string | null;
  subscription_id: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface OrderItemsTable {
  id: string;
  order_id: string;
  position: number;
  mpn: string;
  product_id: string;
  quantity: number;
  unit_price: Amount;
  total: Amount;
  subscription_id: string | null;
}

export interface SubscriptionsTable {
  id: string;
  account_id: string;
  account_path: string;
  product_id: string;
  mpn: string;
  quantity: number;
  status: Generated<SubscriptionStatus>;
  pending_action: SubscriptionAction | null;
  service_ref: string | null;
  started_at: Timestamp | null;
  renews_at: Timestamp | null;
  auto_renew: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface SubscriptionSeatsTable {
  subscription_id: string;
  user_id: string;
  assigned_at: DefaultedTimestamp;
}

export interface CommerceTables {
  products: ProductsTable;
  product_search_terms: ProductSearchTermsTable;
  prices: PricesTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  subscriptions: SubscriptionsTable;
  subscription_seats: SubscriptionSeatsTable;
}

export type ProductRow = Selectable<ProductsTable>;
export type NewProductRow = Insertable<ProductsTable>;
export type PriceRow = Selectable<PricesTable>;
export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type OrderItemRow = Selectable<OrderItemsTable>;
export type NewOrderItemRow = Insertable<OrderItemsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type NewSubscriptionRow = Insertable<SubscriptionsTable>;
