import { createCanopyClient } from "@canopy/sdk";

/**
 * A published product priced at MSRP and `count` customers, each with an API key: orders
 * from different customers never wait on each other's account lock.
 */
export async function setUpCommerce(apiUrl: string, providerKey: string, count: number, mpn = "BENCH-ORDERS") {
  const provider = createCanopyClient({ url: apiUrl, apiKey: providerKey, batch: false });
  const product = await provider.products.create.mutate({
    mpn,
    name: "Bench product",
    isvName: "Demo ISV",
    connector: "demo",
    unit: "license",
    billingPeriod: "month",
    minQuantity: 1,
    maxQuantity: 1000,
    msrp: { amount: 100, currency: "USD" },
  });
  await provider.products.publish.mutate({ id: product.id });
  const customers = [];
  for (let i = 0; i < count; i++) {
    const account = await provider.accounts.create.mutate({
      type: "customer",
      name: `Bench customer ${i}`,
      contact: { email: `bench${i}@example.com` },
      address: { country: "DE" },
    });
    const { apiKey, secret } = await provider.apiKeys.create.mutate({ name: "bench", accountId: account.id });
    customers.push({ accountId: account.id, keyId: apiKey.id, secret });
  }
  return { provider, mpn: product.mpn, productId: product.id, customers };
}
