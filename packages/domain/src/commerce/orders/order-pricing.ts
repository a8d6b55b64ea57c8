import type { AccountRow, Db, OrderType, ProductRow } from "@canopy/db";
import { isOrderable, loadProductsWithPrices, servesSubscriptions, unitPrice } from "@canopy/domain/catalog";
import { badRequest, type Money, multiply, notFound, preconditionFailed, sum } from "@canopy/domain/shared";
import type { OrderLine, OrderRequest } from "./order-request";
import type { EstimatedItem } from "./orders.schema";
import { OPEN_ORDER_STATUSES } from "./orders.states";
import { lockSubscriptions } from "./subscriptions.repository";
import { assertOrderableSubscription } from "./subscriptions.states";

export interface PricedOrder {
  type: OrderType;
  /** The subscription a change, cancellation or renewal order acts on. */
  subscriptionId: string | null;
  items: EstimatedItem[];
  total: Money;
}

export interface PricingOptions {
  /** Placement locks the subscriptions it acts on; an estimate reads without locking. */
  lock: boolean;
  /** Drafts are invisible to everyone but the provider: for them a draft MPN is NOT_FOUND. */
  seesDrafts: boolean;
}

function assertQuantityInRange(product: Pick<ProductRow, "mpn" | "min_quantity" | "max_quantity">, quantity: number): void {
  if (quantity < product.min_quantity || quantity > product.max_quantity) {
    throw badRequest(`quantity ${quantity} of ${product.mpn} is outside ${product.min_quantity}–${product.max_quantity}`);
  }
}

async function priceProductLines(db: Db, vendorId: string, lines: Extract<OrderLine, { kind: "product" }>[], opts: PricingOptions) {
  const catalog = await loadProductsWithPrices(
    db,
    vendorId,
    lines.map((l) => l.mpn),
  );
  return lines.map((line): EstimatedItem => {
    const found = catalog.get(line.mpn);
    if (!found || (found.product.status === "draft" && !opts.seesDrafts)) throw notFound(`product ${line.mpn}`);
    if (!isOrderable(found.product.status))
      throw preconditionFailed(`product ${line.mpn} is ${found.product.status} and cannot be ordered`);
    assertQuantityInRange(found.product, line.quantity);
    return {
      mpn: line.mpn,
      productId: found.product.id,
      quantity: line.quantity,
      unitPrice: found.unitPrice,
      total: multiply(found.unitPrice, line.quantity),
      subscriptionId: null,
    };
  });
}

async function priceSubscriptionLine(
  db: Db,
  account: AccountRow,
  vendorId: string,
  type: Exclude<OrderType, "sales">,
  line: Extract<OrderLine, { kind: "subscription" }>,
  opts: PricingOptions,
): Promise<EstimatedItem> {
  // Lock first, read after: the seat count and the open-order check below must see whatever
  // committed while this transaction waited for the lock.
  if (opts.lock) await lockSubscriptions(db, [line.subscriptionId]);
  const row = await db
    .selectFrom("subscriptions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .leftJoin("prices as pr", (join) => join.onRef("pr.mpn", "=", "s.mpn").on("pr.vendor_id", "=", vendorId))
    .select([
      "s.id",
      "s.account_id",
      "s.mpn",
      "s.product_id",
      "s.quantity",
      "s.status",
      "p.status as product_status",
      "p.min_quantity",
      "p.max_quantity",
      "p.msrp_amount",
      "p.msrp_currency",
      "pr.amount as price_amount",
      "pr.currency as price_currency",
    ])
    .select((eb) => [
      eb
        .selectFrom("subscription_seats as ss")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("ss.subscription_id", "=", "s.id")
        .as("seats_taken"),
      eb
        .exists(
          eb
            .selectFrom("orders as o")
            .select("o.id")
            .whereRef("o.subscription_id", "=", "s.id")
            .where("o.status", "in", OPEN_ORDER_STATUSES),
        )
        .as("has_open_order"),
    ])
    .where("s.id", "=", line.subscriptionId)
    .executeTakeFirst();
  // Another account's subscription is reported as missing, whether or not the caller could read it.
  if (!row || row.account_id !== account.id) throw notFound("subscription");
  assertOrderableSubscription(type, row.status);
  if (!servesSubscriptions(row.product_status)) throw preconditionFailed(`product ${row.mpn} is ${row.product_status}`);
  if (row.has_open_order) throw preconditionFailed("the subscription already has an order in progress; wait for it or cancel it");

  const price = unitPrice(
    row,
    row.price_amount !== null && row.price_currency !== null ? { amount: row.price_amount, currency: row.price_currency } : null,
  );
  const seatsTaken = Number(row.seats_taken ?? 0);
  const limits = { mpn: row.mpn, min_quantity: row.min_quantity, max_quantity: row.max_quantity };
  const item = (quantity: number, total: Money): EstimatedItem => ({
    mpn: row.mpn,
    productId: row.product_id,
    quantity,
    unitPrice: price,
    total,
    subscriptionId: row.id,
  });

  if (type === "cancellation") return item(row.quantity, { amount: 0, currency: price.currency });
  const quantity = line.quantity ?? row.quantity;
  assertQuantityInRange(limits, quantity);
  if (quantity < seatsTaken) {
    throw preconditionFailed(`${seatsTaken} users hold seats on this subscription; unassign some before going below that`);
  }
  if (type === "change") {
    if (quantity === row.quantity) throw badRequest(`the subscription already has quantity ${quantity}`);
    return item(quantity, multiply(price, quantity - row.quantity));
  }
  return item(quantity, multiply(price, quantity));
}

/**
 * Validates and prices every item of a request for `account` with a fixed number of queries
 * whatever the item count: one for all products and their prices (sales), or a lock and one
 * read for the subscription acted on. Items in different currencies are refused.
 */
export async function priceOrder(db: Db, account: AccountRow, request: OrderRequest, opts: PricingOptions): Promise<PricedOrder> {
  // Every account placing orders has a vendor (the provider never orders for itself).
  const vendorId = account.vendor_id!;
  let items: EstimatedItem[];
  let subscriptionId: string | null = null;
  if (request.type === "sales") {
    items = await priceProductLines(db, vendorId, request.lines as Extract<OrderLine, { kind: "product" }>[], opts);
  } else {
    const line = request.lines[0] as Extract<OrderLine, { kind: "subscription" }>;
    items = [await priceSubscriptionLine(db, account, vendorId, request.type, line, opts)];
    subscriptionId = line.subscriptionId;
  }
  const currencies = [...new Set(items.map((i) => i.unitPrice.currency))];
  if (currencies.length > 1)
    throw badRequest(`the items are priced in different currencies (${currencies.join(", ")}); order them separately`);
  const currency = currencies[0]!;
  return {
    type: request.type,
    subscriptionId,
    items,
    total: sum(
      items.map((i) => i.total.amount),
      currency,
    ),
  };
}
