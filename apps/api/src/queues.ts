import { type QueueName, queueNames } from "@canopy/domain/messaging";
import { Queue } from "bullmq";
import { Redis } from "ioredis";

/**
 * The API's handles on the worker's queues, for the dashboard, /metrics and /readyz. The API
 * adds no jobs: events reach the queues through the outbox relay once their transaction commits.
 */
export interface QueueHandles {
  queues: ReadonlyMap<QueueName, Queue>;
  /** Whether Redis answers within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export function openQueues({ url, prefix }: { url: string; prefix: string }): QueueHandles {
  const connection = new Redis(url, { maxRetriesPerRequest: 3, connectionName: "canopy-api" });
  // A Redis outage must not crash the API: /readyz reports it, and ioredis reconnects.
  connection.on("error", () => {});
  const queues = new Map(queueNames.map((name) => [name, new Queue(name, { connection, prefix })]));
  for (const queue of queues.values()) queue.on("error", () => {});
  return {
    queues,
    async ping(timeoutMs = 1000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const answer = connection.ping().then(
        (reply) => reply === "PONG",
        () => false,
      );
      try {
        return await Promise.race([answer, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}
