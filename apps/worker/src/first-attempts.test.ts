import type { DeliveryJob } from "@canopy/domain/messaging";
import { describe, expect, it, vi } from "vitest";
import { type AttemptInFlight, FirstAttempts, type FirstAttemptsDeps } from "./first-attempts";

// The lanes' scheduling on its own: slots, claims and requests are recorded by an in-memory
// runtime whose requests finish when the test says so. The real runtime (Redis slots, Postgres
// claims, HTTP) is exercised end to end by test/webhooks.test.ts and test/webhook-crash.test.ts.

const job = (endpointId: string, n: number): DeliveryJob => ({ deliveryId: `dlv_${endpointId}_${n}`, endpointId, attempt: 0 });
const tick = () => new Promise((resolve) => setImmediate(resolve));

function runtime(opts: { grant?: (endpointId: string) => boolean; acquireFails?: boolean } = {}) {
  const log: string[] = [];
  const inFlight = new Map<string, { answer: () => void; record: () => void }>();
  const handedOver: { id: string; delayMs?: number }[] = [];
  const errors: unknown[] = [];
  const deps: FirstAttemptsDeps<string> = {
    async acquire(endpointId, holder) {
      log.push(`acquire ${endpointId} ${holder}`);
      if (opts.acquireFails) throw new Error("redis down");
      return opts.grant?.(endpointId) === false ? { granted: false, busyForMs: 300 } : { granted: true };
    },
    renew: (endpointId) => log.push(`renew ${endpointId}`),
    release: (endpointId) => log.push(`release ${endpointId}`),
    claim: async (j) => {
      log.push(`claim ${j.deliveryId}`);
      return j.deliveryId;
    },
    attempt(_job, claimed): AttemptInFlight {
      let answer!: () => void;
      let record!: () => void;
      const sent = new Promise<void>((resolve) => {
        answer = resolve;
      });
      const done = new Promise<void>((resolve) => {
        record = resolve;
      });
      void claimed.then((id) => {
        log.push(`send ${id}`);
        inFlight.set(id, { answer, record });
      });
      return { sent, done };
    },
    async handOver(jobs, delayMs) {
      for (const j of jobs) handedOver.push({ id: j.deliveryId, delayMs });
    },
    postponeMs: (busyForMs) => busyForMs,
    onError: (error) => errors.push(error),
  };
  /** Answers every request in flight, and records its outcome. */
  const answerAll = async () => {
    for (const [id, request] of [...inFlight]) {
      inFlight.delete(id);
      request.answer();
      request.record();
    }
    await tick();
  };
  return { deps, log, inFlight, handedOver, errors, answerAll };
}

const options = { concurrency: 8, perEndpoint: 2, maxQueuedPerEndpoint: 100, maxQueued: 1000 };

describe("first attempts in per-endpoint lanes", () => {
  it("sends at most perEndpoint at once per endpoint, taking each slot once for the whole burst", async () => {
    const rt = runtime();
    const lanes = new FirstAttempts(rt.deps, options);
    expect(lanes.offer([1, 2, 3, 4, 5, 6].map((n) => job("a", n)))).toEqual([]);
    await tick();
    expect(rt.inFlight.size).toBe(2);
    let sent = 0;
    while (rt.inFlight.size > 0) {
      expect(rt.inFlight.size).toBeLessThanOrEqual(2);
      sent += rt.inFlight.size;
      await rt.answerAll();
      await tick();
    }
    expect(sent).toBe(6);
    expect(rt.log.filter((l) => l.startsWith("acquire"))).toHaveLength(2);
    expect(rt.log.filter((l) => l.startsWith("release"))).toHaveLength(2);
    expect(rt.log.filter((l) => l.startsWith("renew"))).toHaveLength(4);
    await lanes.stop();
  });

  it("claims the next delivery while the current request is in flight", async () => {
    const rt = runtime();
    const lanes = new FirstAttempts(rt.deps, { ...options, perEndpoint: 1 });
    lanes.offer([1, 2, 3].map((n) => job("a", n)));
    await tick();
    expect([...rt.inFlight.keys()]).toEqual(["dlv_a_1"]);
    expect(rt.log).toContain("claim dlv_a_2");
    expect(rt.log).not.toContain("claim dlv_a_3");
    await rt.answerAll();
    await rt.answerAll();
    await rt.answerAll();
    await lanes.stop();
  });

  it("keeps a hanging endpoint's lane to itself: another endpoint's deliveries go on", async () => {
    const rt = runtime();
    const lanes = new FirstAttempts(rt.deps, options);
    lanes.offer([1, 2, 3].map((n) => job("hangs", n)));
    lanes.offer([1, 2, 3, 4].map((n) => job("fast", n)));
    await tick();
    const fastSent = new Set<string>();
    for (let i = 0; i < 4; i++) {
      for (const [id, request] of [...rt.inFlight]) {
        if (!id.includes("fast")) continue;
        fastSent.add(id);
        rt.inFlight.delete(id);
        request.answer();
        request.record();
      }
      await tick();
      await tick();
    }
    expect(fastSent.size).toBe(4);
    expect([...rt.inFlight.keys()].sort()).toEqual(["dlv_hangs_1", "dlv_hangs_2"]);
    await rt.answerAll();
    await tick();
    await rt.answerAll();
    await lanes.stop();
  });

  it("waits for a slot other processes hold, then sends the lane itself", async () => {
    let free = false;
    const rt = runtime({ grant: () => free });
    rt.deps.postponeMs = () => 5;
    const lanes = new FirstAttempts(rt.deps, { ...options, perEndpoint: 1 });
    lanes.offer([1, 2].map((n) => job("shared", n)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rt.inFlight.size).toBe(0);
    expect(rt.log.filter((l) => l.startsWith("acquire")).length).toBeGreaterThan(1);
    free = true;
    await vi.waitFor(() => expect(rt.inFlight.size).toBe(1));
    await rt.answerAll();
    await vi.waitFor(() => expect(rt.inFlight.size).toBe(1));
    await rt.answerAll();
    expect(rt.handedOver).toEqual([]);
    await lanes.stop();
  });

  it("hands a lane whose endpoint other processes fill to the queue, postponed, without claiming, once it has waited long enough", async () => {
    const rt = runtime({ grant: (endpointId) => endpointId !== "full" });
    const lanes = new FirstAttempts(rt.deps, { ...options, waitForSlotMs: 0 });
    lanes.offer([1, 2, 3].map((n) => job("full", n)));
    await tick();
    await tick();
    expect(rt.handedOver.map((h) => h.id).sort()).toEqual(["dlv_full_1", "dlv_full_2", "dlv_full_3"]);
    expect(rt.handedOver.every((h) => h.delayMs === 300)).toBe(true);
    expect(rt.log.some((l) => l.startsWith("claim"))).toBe(false);
    await lanes.stop();
  });

  it("hands its jobs to the queue when Redis cannot be reached, reporting the error", async () => {
    const rt = runtime({ acquireFails: true });
    const lanes = new FirstAttempts(rt.deps, options);
    lanes.offer([1, 2].map((n) => job("a", n)));
    await tick();
    await tick();
    expect(rt.handedOver.map((h) => h.id).sort()).toEqual(["dlv_a_1", "dlv_a_2"]);
    expect(rt.errors.length).toBeGreaterThan(0);
    await lanes.stop();
  });

  it("returns what does not fit, and on stop hands what waits to the queue after the requests in flight", async () => {
    const rt = runtime();
    const lanes = new FirstAttempts(rt.deps, { ...options, perEndpoint: 1, maxQueuedPerEndpoint: 3 });
    const rest = lanes.offer([1, 2, 3, 4, 5].map((n) => job("a", n)));
    expect(rest.map((j) => j.deliveryId)).toEqual(["dlv_a_4", "dlv_a_5"]);
    await tick();
    let stopped = false;
    const stopping = lanes.stop().then(() => {
      stopped = true;
    });
    await tick();
    // dlv_a_1 is in flight and dlv_a_2 claimed ahead (its sender sends it); dlv_a_3 waits.
    expect(rt.handedOver.map((h) => h.id)).toEqual(["dlv_a_3"]);
    expect(stopped).toBe(false);
    await rt.answerAll();
    await tick();
    await rt.answerAll();
    await stopping;
    expect(rt.log.filter((l) => l.startsWith("send"))).toEqual(["send dlv_a_1", "send dlv_a_2"]);
  });

  it("sends a reserved sender's claimed delivery at once with the slot it took ahead, then works its lane", async () => {
    const rt = runtime();
    const lanes = new FirstAttempts(rt.deps, { ...options, perEndpoint: 1 });
    const reservation = lanes.reserve("a");
    expect(reservation).toBeDefined();
    await tick();
    expect(reservation?.granted).toBe(true);
    // The lane's one place is taken: another reservation is refused, and offered jobs wait for it.
    expect(lanes.reserve("a")).toBeUndefined();
    expect(lanes.offer([job("a", 2)])).toEqual([]);
    reservation?.start(job("a", 1), Promise.resolve("dlv_a_1"));
    await tick();
    expect(rt.log.filter((l) => l.startsWith("acquire"))).toHaveLength(1);
    expect(rt.log).not.toContain("claim dlv_a_1");
    expect([...rt.inFlight.keys()]).toEqual(["dlv_a_1"]);
    await rt.answerAll();
    await tick();
    await rt.answerAll();
    expect(rt.log.filter((l) => l.startsWith("send"))).toEqual(["send dlv_a_1", "send dlv_a_2"]);
    expect(rt.log.filter((l) => l.startsWith("acquire"))).toHaveLength(1);
    expect(rt.log.filter((l) => l.startsWith("release"))).toHaveLength(1);
    await lanes.stop();
  });

  it("gives a cancelled reservation's slot and place back", async () => {
    const rt = runtime();
    const lanes = new FirstAttempts(rt.deps, { ...options, concurrency: 1 });
    const reservation = lanes.reserve("a");
    expect(lanes.reserve("b")).toBeUndefined(); // the process's one place is taken
    reservation?.cancel();
    await tick();
    expect(rt.log.filter((l) => l.startsWith("release"))).toEqual(["release a"]);
    expect(lanes.offer([job("b", 1)])).toEqual([]);
    await tick();
    expect([...rt.inFlight.keys()]).toEqual(["dlv_b_1"]);
    await rt.answerAll();
    await lanes.stop();
  });

  it("reserves nothing for an endpoint whose slot is refused, and cancels quietly", async () => {
    const rt = runtime({ grant: () => false });
    const lanes = new FirstAttempts(rt.deps, options);
    const reservation = lanes.reserve("a");
    await tick();
    expect(reservation?.granted).toBe(false);
    reservation?.cancel();
    await tick();
    expect(rt.log.filter((l) => l.startsWith("release"))).toEqual([]);
    expect(lanes.depth).toEqual({ waiting: 0, sending: 0 });
    await lanes.stop();
  });
});
