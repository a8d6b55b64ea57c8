// Benchmark 4: webhook deliveries per second, end to end (committed events → outbox relay →
// fan-out → signed POST → attempt logged), by the worker as it ships in its own process, to a
// receiver that answers 204 at once; against bare BullMQ processing as many no-op jobs at the
// delivery concurrency. Idea and shape from bench/webhook-throughput.ts.
import { randomBytes } from "node:crypto";
import { sql } from "@canopy/db";
import { deleteRedisKeys } from "@canopy/worker/testing";
import { profileFlags, runTs, watchPeakRss } from "../lib/processes";
import { scratchDatabase } from "../lib/scratch-db";
import { median } from "../lib/stats";
import type { Benchmark } from "../lib/types";
import { startWebhookFanout } from "../lib/webhook-fanout";
import { startWorkerProcess } from "../lib/worker";

const ENDPOINTS = 8;
/** WEBHOOK_DELIVERY_CONCURRENCY's default: the baseline's worker gets the same. */
const DELIVERY_CONCURRENCY = 64;

export const webhookThroughput: Benchmark = {
  id: "4",
  title: "webhook deliveries/s vs bare BullMQ no-op jobs",
  async run(opts) {
    const events = opts.quick ? 300 : 600;
    const deliveries = events * ENDPOINTS;
    const { db, url: databaseUrl } = await scratchDatabase("canopy_bench_webhooks_tp", { fresh: true });
    const fanout = await startWebhookFanout(db, ENDPOINTS);
    const worker = startWorkerProcess({
      databaseUrl,
      redisUrl: opts.redisUrl,
      nodeFlags: profileFlags(opts.profile),
    });

    const viaWorker = (n: number) => fanout.deliveriesPerSecond(n);
    const bare = async () => {
      const prefix = `canopy-bench-${randomBytes(4).toString("hex")}`;
      try {
        const out = await runTs("bench/load/bullmq-noop.ts", [
          JSON.stringify({ redisUrl: opts.redisUrl, prefix, jobs: deliveries, concurrency: DELIVERY_CONCURRENCY }),
        ]);
        const r = JSON.parse(out) as { jobs: number; seconds: number };
        return r.jobs / r.seconds;
      } finally {
        await deleteRedisKeys(opts.redisUrl, `${prefix}:*`);
      }
    };
    try {
      // Warm-up at full size (JIT, pools, connections), as the baseline gets; also waits for the worker.
      await viaWorker(50);
      await viaWorker(events);
      await bare();
      const runs: { value: number; baseline: number }[] = [];
      for (let i = 0; i < opts.repetitions; i++) {
        const rss = watchPeakRss({ worker: worker.pid });
        const value = await viaWorker(events);
        opts.peakRss("worker", "4", rss.stop().worker!);
        const baseline = await bare();
        runs.push({ value, baseline });
        opts.log(`  #4 run ${i + 1}: ${value.toFixed(0)} deliveries/s, bare BullMQ ${baseline.toFixed(0)} jobs/s`);
      }
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where status = 'succeeded'`.execute(db);
      opts.log(`  #4 ${rows[0]!.n} deliveries logged as succeeded, ${fanout.received()} received`);
      const value = median(runs.map((r) => r.value));
      const baseline = median(runs.map((r) => r.baseline));
      return [
        {
          id: "4",
          benchmark: `webhook deliveries/s (${events} events × ${ENDPOINTS} endpoints, one origin each) vs bare BullMQ no-op jobs`,
          unit: "per s",
          value,
          baseline,
          ratio: value / baseline,
          goal: "≥ 0.3",
          met: value / baseline >= 0.3,
          runs,
        },
      ];
    } finally {
      await worker.stop();
      await fanout.close();
      await db.destroy();
    }
  },
};
