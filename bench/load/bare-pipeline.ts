// The baseline of benchmark 3, in its own process: the least a webhook pipeline can do. A BullMQ
// worker takes each job, signs a Standard Webhooks message and POSTs it to the receiver.
// The benchmark adds the jobs at the same fixed rate as it places orders. Runs until killed.
import { Worker } from "bullmq";
import IORedis from "ioredis";
import { Webhook } from "standardwebhooks";

const { redisUrl, prefix, secret, url, concurrency } = JSON.parse(process.argv[2]!) as {
  redisUrl: string;
  prefix: string;
  secret: string;
  url: string;
  concurrency: number;
};
const signer = new Webhook(secret);
const worker = new Worker(
  "bare-webhooks",
  async (job) => {
    const id = `msg_${job.id}`;
    const timestamp = new Date();
    const body = JSON.stringify({ type: "bare.message", timestamp: timestamp.toISOString(), data: job.data });
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signer.sign(id, timestamp, body),
      },
      body,
    });
    await response.arrayBuffer();
  },
  { connection: new IORedis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency },
);
worker.on("error", () => {});
worker.on("ready", () => console.log("ready"));
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
