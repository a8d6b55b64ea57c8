// `npm run demo`: a scripted tour of a running Canopy (`npm start` in another terminal). It
// creates a reseller and its customer, publishes a product, receives webhooks on a local
// receiver, places an order and follows it to `completed`. Exits 0 only if all of that happened.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type CanopyWebhook, createCanopyClient, verifyWebhook } from "@canopy/sdk";
import { loadScriptConfig } from "./config";
import { readCredentials } from "./lib/credentials";

const config = loadScriptConfig();
const tty = config.pretty;
const paint = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const [bold, green, red, dim] = [paint(1), paint(32), paint(31), paint(2)];
let stepNo = 0;
const step = (text: string) => console.log(`\n${bold(`${++stepNo}. ${text}`)}`);
const info = (text: string) => console.log(`   ${text}`);

const ORDER_TIMEOUT_MS = 60_000;

async function main(): Promise<boolean> {
  const stored = await readCredentials(config.dataDir);
  const url = config.CANOPY_URL ?? stored?.apiUrl ?? "http://localhost:3000";
  const apiKey = config.CANOPY_API_KEY ?? stored?.bootstrapApiKey;
  if (!apiKey) {
    console.error(
      red(
        "No provider API key: start Canopy with `npm start` first (it writes .data/credentials.json), or set CANOPY_URL and CANOPY_API_KEY.",
      ),
    );
    return false;
  }
  const ready = await fetch(`${url}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!ready) {
    console.error(red(`Canopy does not answer ready at ${url}/readyz: is \`npm start\` running?`));
    return false;
  }
  console.log(bold(`Canopy demo against ${url}`));
  const tag = randomBytes(3).toString("hex");
  const provider = createCanopyClient({ url, apiKey });

  step("The provider creates a reseller, and an API key for it");
  const reseller = await provider.accounts.create.mutate({
    type: "reseller",
    name: `Demo Reseller ${tag}`,
    contact: { email: `reseller-${tag}@example.com` },
    address: { country: "DE" },
  });
  const { secret: resellerKey } = await provider.apiKeys.create.mutate({ name: "demo", accountId: reseller.id });
  const asReseller = createCanopyClient({ url, apiKey: resellerKey });
  info(`reseller ${reseller.id} "${reseller.name}"`);

  step("The reseller creates a customer of its own");
  const customer = await asReseller.accounts.create.mutate({
    type: "customer",
    name: `Demo Customer ${tag}`,
    contact: { email: `customer-${tag}@example.com` },
    address: { country: "DE" },
  });
  info(`customer ${customer.id} "${customer.name}" under ${customer.vendorId}`);

  step("The provider publishes a product (provisioned by the demo connector)");
  const mpn = `DEMO-BACKUP-${tag}`.toUpperCase();
  const draft = await provider.products.create.mutate({
    mpn,
    name: "Cloud Backup 1 TB",
    isvName: "Acme Storage",
    connector: "demo",
    unit: "license",
    billingPeriod: "month",
    minQuantity: 1,
    maxQuantity: 500,
    msrp: { amount: 1200, currency: "USD" },
  });
  const product = await provider.products.publish.mutate({ id: draft.id });
  info(`${product.mpn} "${product.name}" is ${product.status}, MSRP 12.00 USD a month`);

  step("The reseller starts a webhook receiver and registers it");
  const received: { message: CanopyWebhook<{ id?: string; status?: string }>; verified: boolean }[] = [];
  let endpointSecret = "";
  const receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    res.writeHead(204).end();
    try {
      const message = verifyWebhook<{ id?: string; status?: string }>({ secret: endpointSecret, headers: req.headers, body });
      received.push({ message, verified: true });
      info(`${green("✓")} webhook ${bold(message.type)} ${dim(message.id)} signature verified`);
    } catch (error) {
      info(`${red("✗")} webhook with a bad signature: ${(error as Error).message}`);
      received.push({ message: JSON.parse(body) as CanopyWebhook<{ id?: string }>, verified: false });
    }
    receiver.emit("message");
  });
  receiver.listen(config.DEMO_WEBHOOK_PORT, "127.0.0.1");
  await once(receiver, "listening");
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/canopy-webhooks`;
  try {
    const { endpoint, secret } = await asReseller.webhooks.endpoints.create.mutate({
      url: receiverUrl,
      description: "npm run demo",
      eventTypes: ["order.created", "order.processing", "order.completed", "order.failed"],
    });
    endpointSecret = secret;
    info(`endpoint ${endpoint.id} → ${receiverUrl} (its signing secret came back once; the receiver keeps it)`);

    step("The reseller places an order for its customer");
    const order = await asReseller.orders.place.mutate({
      accountId: customer.id,
      items: [{ mpn, quantity: 5 }],
      idempotencyKey: `demo-${tag}`,
    });
    info(`order ${order.id}: ${order.items.length} item, total ${formatMoney(order.total)}, status ${order.status}`);

    step("The worker provisions it; we follow the order");
    const deadline = Date.now() + ORDER_TIMEOUT_MS;
    let status = order.status;
    let last = order;
    while (!["completed", "error", "cancelled"].includes(status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      last = await asReseller.orders.get.query({ id: order.id });
      if (last.status !== status) info(`order is ${bold(last.status)}`);
      status = last.status;
    }
    if (status !== "completed") {
      info(red(`the order did not complete (status ${status}${last.errorMessage ? `: ${last.errorMessage}` : ""})`));
      return false;
    }
    const subscriptions = last.items.map((item) => item.subscriptionId).filter(Boolean);
    info(`${green("✓")} order completed; subscription ${subscriptions.join(", ")}`);

    step("Webhooks for the order arrive, signed");
    const wanted = ["order.created", "order.completed"];
    const ofOrder = () => received.filter((r) => r.verified && r.message.data?.id === order.id).map((r) => r.message.type);
    const webhookDeadline = Date.now() + ORDER_TIMEOUT_MS;
    while (!wanted.every((type) => ofOrder().includes(type)) && Date.now() < webhookDeadline) {
      await Promise.race([once(receiver, "message"), new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    const missing = wanted.filter((type) => !ofOrder().includes(type));
    const forged = received.filter((r) => !r.verified).length;
    if (missing.length > 0 || forged > 0) {
      info(red(`missing webhooks: ${missing.join(", ") || "none"}; unverifiable: ${forged}`));
      return false;
    }
    info(`${green("✓")} received ${ofOrder().join(", ")} for ${order.id}, every signature verified`);
    return true;
  } finally {
    receiver.close();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function formatMoney({ amount, currency }: { amount: number; currency: string }) {
  return `${(amount / 100).toFixed(2)} ${currency}`;
}

main().then(
  (ok) => {
    console.log(ok ? `\n${green(bold("Demo complete: everything happened as it should."))}` : `\n${red(bold("Demo failed."))}`);
    process.exit(ok ? 0 : 1);
  },
  (error: Error) => {
    console.error(red(`\nDemo failed: ${error.message}`));
    process.exit(1);
  },
);
