import type { ProductStatus } from "@canopy/db";
import { preconditionFailed } from "@canopy/domain/shared";

/**
 * The product lifecycle: drafts are published; published products are retired (no new sales
 * orders, existing subscriptions keep being served) and may be published again.
 */
const transitions: Record<ProductStatus, readonly ProductStatus[]> = {
  draft: ["published"],
  published: ["retired"],
  retired: ["published"],
};

export function assertProductMove(from: ProductStatus, to: ProductStatus): void {
  if (!transitions[from].includes(to)) throw preconditionFailed(`a ${from} product cannot become ${to}`);
}

/** Only published products take sales orders (docs/catalog.md). */
export const isOrderable = (status: ProductStatus) => status === "published";

/** Products with subscriptions are published or retired; both keep serving them. */
export const servesSubscriptions = (status: ProductStatus) => status !== "draft";
