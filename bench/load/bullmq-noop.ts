// The baseline of benchmark 4, in its own process: bare BullMQ, `jobs` no-op jobs added in
// bulk, then processed by one Worker at the webhook delivery concurrency, jobs removed on
// completion as delivery jobs are. Prints {"jobs": n, "seconds": s} (processing only).
import { Queue, Worker } from "bullmq";
import IORedis from "ioredis";

const { redisUrl, prefix, jobs, concurrency } = JSON.parse(process.argv[2]!) as {
  redisUrl: string;
  prefix: string;
  jobs: number;
  concurrency: number;
};
const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
const queue = new Queue("noop", { connection, prefix });
for (let i = 0; i < jobs; i += 1000) {
  await queue.addBulk(
    Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({
      name: "noop",
      data: { n: i + j },
      opts: { removeOnComplete: true, removeOnFail: true },
    })),
  );
}
let done = 0;
let started = 0;
const finished = new Promise<void>((resolve) => {
  const worker = new Worker("noop", async () => {}, { connection: connection.duplicate(), prefix, concurrency });
  worker.on("error", () => {});
  worker.on("completed", () => {
    if (++done === jobs) void worker.close().then(() => resolve());
  });
  started = performance.now();
});
await finished;
const seconds = (performance.now() - started) / 1000;
await queue.obliterate({ force: true });
await queue.close();
await connection.quit();
console.log(JSON.stringify({ jobs, seconds }));
process.exit(0);
