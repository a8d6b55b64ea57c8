import type { Db } from "@canopy/db";
import { type Actor, findAccount } from "@canopy/domain/identity";
import { findProduct } from "./products.repository";
import { createProduct, publishProduct } from "./products.service";

/** The product the README's example and `npm run demo` order: created by `npm start` unless CANOPY_DEMO_DATA=false. */
export const DEMO_PRODUCT_MPN = "DEMO-BACKUP";

/**
 * Creates and publishes the demo catalog (one product on the simulated `demo` ISV) as the
 * provider, unless a product with its MPN exists: running it again changes nothing. Clearly
 * marked as demo data in its description, so nobody mistakes it for a real offer.
 */
export async function ensureDemoCatalog(db: Db, providerId: string): Promise<"created" | "present"> {
  return db.transaction().execute(async (trx) => {
    if (await findProduct(trx, { mpn: DEMO_PRODUCT_MPN })) return "present";
    const provider = await findAccount(trx, providerId);
    if (!provider) throw new Error(`provider ${providerId} not found`);
    const system: Actor = {
      kind: "system",
      id: "system:demo-catalog",
      accountId: provider.id,
      accountPath: provider.path,
      accountType: "provider",
      role: "admin",
    };
    const product = await createProduct(trx, system, {
      mpn: DEMO_PRODUCT_MPN,
      name: "Demo Cloud Backup",
      description: "Demo data created by `npm start` (set CANOPY_DEMO_DATA=false to go without): provisioned by the simulated demo ISV.",
      isvName: "Demo ISV",
      connector: "demo",
      unit: "license",
      billingPeriod: "month",
      billingModel: "license",
      minQuantity: 1,
      maxQuantity: 1000,
      msrp: { amount: 500, currency: "USD" },
    });
    await publishProduct(trx, system, product.id);
    return "created";
  });
}
