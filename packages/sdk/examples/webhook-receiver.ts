/**
 * A reseller's webhook receiver: verifies every delivery from Canopy and answers 2xx at once.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=4000 npx tsx packages/sdk/examples/webhook-receiver.ts
 *
 * Register it with `webhooks.endpoints.create({url: "https://your-host/webhooks"})` (for a local
 * run, `http://127.0.0.1:4000/webhooks` on an API started with WEBHOOK_ALLOW_PRIVATE_URLS=1).
 * During a secret rotation set WEBHOOK_SECRET to both secrets separated by a space.
 */
import { createServer } from "node:http";
import { verifyWebhook, WebhookVerificationError } from "@canopy/sdk/webhooks";

const secrets = (process.env.WEBHOOK_SECRET ?? "").split(" ").filter(Boolean);
if (secrets.length === 0) throw new Error("set WEBHOOK_SECRET to the secret shown by webhooks.endpoints.create");
const port = Number(process.env.PORT ?? 4000);
// Retries carry the same webhook-id: remember the ids handled, so a message is acted on once.
const seen = new Set<string>();

createServer(async (req, res) => {
  if (req.method !== "POST") return void res.writeHead(405).end();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    // Verify the raw body, exactly as received, before parsing anything.
    const message = verifyWebhook({ secret: secrets, headers: req.headers, body: Buffer.concat(chunks) });
    if (!seen.has(message.id)) {
      seen.add(message.id);
      console.log(`${message.timestamp} ${message.type} ${message.id}`, JSON.stringify(message.data));
    }
    res.writeHead(204).end();
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    res.writeHead(400).end("invalid signature");
  }
}).listen(port, () => console.log(`webhook receiver on http://127.0.0.1:${port}/webhooks`));
