import { RetryLater } from "@canopy/domain/commerce";
import { jobIds, type PendingEvent } from "@canopy/domain/messaging";
import { newId } from "@canopy/domain/shared";
import { Job } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFirstRuns } from "../src/local-runs";
import { createQueues, pushEvents } from "../src/queues";
import { REDIS_URL, uniquePrefix } from "./redis-keys";

// The relay's side of a first run in process, against a real Redis: the relay pushes a batch
// with `delayOf` (as it does inside its transaction), then says whether the batch committed.

const GRACE_MS = 30_000;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const queues = createQueues(redis, uniquePrefix(), { attempts: 3 });
afterAll(async () => {
  await Promise.all(Object.values(queues).map((q) => q.close()));
  redis.disconnect();
});

const orderCreated = (): PendingEvent => ({
  id: newId("evt"),
  type: "order.created",
  accountId: newId("acc"),
  subjectId: newId("ord"),
  seq: 1,
});

/** A run the test finishes: `finish()` succeeds, `fail(e)` throws `e`. */
function controlledRuns() {
  const started: string[] = [];
  const pending = new Map<string, { finish: () => void; fail: (e: Error) => void }>();
  const run = (_queue: string, payload: unknown) => {
    const { subjectId } = payload as { subjectId: string };
    started.push(subjectId);
    return new Promise<unknown>((resolve, reject) => {
      pending.set(subjectId, { finish: () => resolve({ outcome: "completed" }), fail: reject });
    });
  };
  return { run, started, pending };
}

function localRuns(run: ReturnType<typeof controlledRuns>["run"]) {
  return new LocalFirstRuns({
    queues,
    local: new Set(["order-provisioning"]),
    run,
    concurrency: 4,
    graceMs: GRACE_MS,
    attempts: 3,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    log: pino({ level: "silent" }),
  });
}

const queuedCopy = (event: PendingEvent) => Job.fromId(queues["order-provisioning"], jobIds.relayedEvent(event.id));

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not reached in 2 s");
}

describe("first runs in process, started from the relay's batch", () => {
  it("start while the batch is pushed, and remove the queued copy only once the batch has committed", async () => {
    const runs = controlledRuns();
    const local = localRuns(runs.run);
    const event = orderCreated();
    await pushEvents(queues, [event], local.delayOf);
    expect(runs.started).toEqual([event.subjectId]); // before the batch committed
    const job = await queuedCopy(event);
    expect(await job?.isDelayed()).toBe(true);
    expect(job?.opts.delay).toBe(GRACE_MS);

    runs.pending.get(event.subjectId)!.finish();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await queuedCopy(event)).toBeDefined(); // the batch may still fail: the copy stays

    local.start(); // committed
    await eventually(
      () => queuedCopy(event),
      (j) => j === undefined,
    );
    await local.stop();
  });

  it("leave the queued copy of a batch that did not commit to that batch's next relay", async () => {
    const runs = controlledRuns();
    const local = localRuns(runs.run);
    const event = orderCreated();
    await pushEvents(queues, [event], local.delayOf); // the push went through, the commit did not
    local.forget();
    runs.pending.get(event.subjectId)!.fail(new RetryLater("connector busy"));
    await local.stop();
    const job = await queuedCopy(event);
    expect(await job?.isDelayed()).toBe(true);
    expect(job?.data).not.toHaveProperty("attemptsBefore");
  });

  it("hand a failed run over to its queued copy once the batch has committed", async () => {
    const runs = controlledRuns();
    const local = localRuns(runs.run);
    const event = orderCreated();
    await pushEvents(queues, [event], local.delayOf);
    runs.pending.get(event.subjectId)!.fail(new RetryLater("connector busy"));
    local.start();
    const job = await eventually(
      () => queuedCopy(event),
      (j) => (j?.data as { attemptsBefore?: number } | undefined)?.attemptsBefore === 1,
    );
    // A transient failure waits for the first backoff instead of the grace period.
    expect(job!.delay).toBeLessThan(GRACE_MS);
    await local.stop();
  });
});
