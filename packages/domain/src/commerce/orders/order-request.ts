import { createHash } from "node:crypto";
import type { OrderType } from "@canopy/db";
import { badRequest } from "@canopy/domain/shared";
import type { OrdersEstimateInput } from "./orders.schema";

export type OrderLine =
  | { kind: "product"; mpn: string; quantity: number }
  | { kind: "subscription"; subscriptionId: string; quantity: number | null };

/** An order request with its type settled and its content fingerprinted for idempotency. */
export interface OrderRequest {
  accountId: string;
  type: OrderType;
  lines: OrderLine[];
  /** sha256 of the canonical content: same key + different hash is a CONFLICT. */
  hash: string;
}

/**
 * Settles the order type from the items and checks that items and type agree:
 * sales orders buy MPNs; change, cancellation and renewal orders act on exactly one subscription
 * (one order per subscription keeps provisioning and its events simple to follow).
 */
export function resolveOrderRequest(input: OrdersEstimateInput, accountId: string): OrderRequest {
  const lines: OrderLine[] = input.items.map((item) =>
    "mpn" in item
      ? { kind: "product", mpn: item.mpn, quantity: item.quantity }
      : { kind: "subscription", subscriptionId: item.subscriptionId, quantity: item.quantity ?? null },
  );
  const productLines = lines.filter((l) => l.kind === "product").length;
  if (productLines > 0 && productLines < lines.length) {
    throw badRequest("an order either buys MPNs or acts on a subscription, not both");
  }
  let type: OrderType;
  if (productLines > 0) {
    type = input.type ?? "sales";
    if (type !== "sales") throw badRequest(`a ${type} order names a subscriptionId, not an MPN`);
  } else {
    const [line] = lines as Extract<OrderLine, { kind: "subscription" }>[];
    if (lines.length !== 1 || !line) throw badRequest("change, cancellation and renewal orders act on exactly one subscription");
    type = input.type ?? (line.quantity === null ? "cancellation" : "change");
    if (type === "sales") throw badRequest("a sales order names MPNs; use a change order for a subscription");
    if (type === "change" && line.quantity === null) throw badRequest("a change order needs the new quantity");
    if (type === "cancellation" && line.quantity !== null) throw badRequest("a cancellation order takes no quantity");
    if (type === "renewal" && line.quantity !== null) {
      throw badRequest("a renewal order renews the current quantity; change it with a change order");
    }
  }
  const hash = createHash("sha256").update(JSON.stringify({ accountId, type, lines })).digest("hex");
  return { accountId, type, lines, hash };
}
