import { countUnrelayed } from "@canopy/domain/messaging";
import { insertEvent, systemOrigin } from "@canopy/domain/shared";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, inPool, startApi, startTestWorker, uniquePrefix } from "./support";

let api: Api;
let account: { id: string; path: string };

beforeAll(async () => {
  api = await startApi();
  account = await api.db.selectFrom("accounts").select(["id", "path"]).where("id", "=", api.providerId).executeTakeFirstOrThrow();
});
afterAll(async () => {
  await api?.close();
});

const relayed = async (ids: string[]) =>
  api.db.selectFrom("events").select(["id", "seq", "relay_seq"]).where("id", "in", ids).where("relay_seq", "is not", null).execute();

// Events about orders that do not exist: the relay does not care, and no processor runs here.
const orderEvent = (subject: string) => ({ type: "order.created" as const, origin: systemOrigin("test"), account, data: { id: subject } });

describe("outbox relay", () => {
  it("relays an event whose transaction commits late, after the later-numbered ones that committed first", async () => {
    const worker = await startTestWorker(api, { queues: [], relay: { safetyPollMs: 60_000 } });
    try {
      let commitLate!: () => void;
      const gate = new Promise<void>((resolve) => (commitLate = resolve));
      let lateId = "";
      const late = api.db.transaction().execute(async (trx) => {
        lateId = (await insertEvent(trx, orderEvent("ord_late"))).id; // takes its seq now…
        await gate; // …and commits only later
      });
      await vi.waitFor(() => expect(lateId).not.toBe(""));
      const early = await insertEvent(api.db, orderEvent("ord_early"));
      await vi.waitFor(async () => expect(await relayed([early.id])).toHaveLength(1));
      expect(await relayed([lateId])).toHaveLength(0); // not visible yet, so not relayed, not skipped

      commitLate();
      await late;
      await vi.waitFor(async () => expect(await relayed([lateId])).toHaveLength(1));
      const [e, l] = [(await relayed([early.id]))[0]!, (await relayed([lateId]))[0]!];
      expect(l.seq).toBeLessThan(e.seq); // numbered first…
      expect(l.relay_seq!).toBeGreaterThan(e.relay_seq!); // …relayed after, in commit order
      for (const id of [early.id, lateId]) {
        expect((await worker.queues["order-provisioning"].getJob(id))?.data.subjectId).toMatch(/^ord_/);
      }
    } finally {
      await worker.close();
    }
  });

  it("with two relays at once, every committed event reaches the queue once, numbered once", async () => {
    const prefix = uniquePrefix();
    const workers = await Promise.all([1, 2].map(() => startTestWorker(api, { queues: [], prefix, relay: { batchSize: 7 } })));
    try {
      const ids = await inPool(
        Array.from({ length: 300 }, (_, i) => i),
        12,
        async (i) => (await insertEvent(api.db, orderEvent(`ord_${i}`))).id,
      );
      await vi.waitFor(async () => expect(await countUnrelayed(api.db)).toBe(0), { timeout: 15_000 });
      const rows = await relayed(ids);
      expect(rows).toHaveLength(300);
      expect(new Set(rows.map((r) => r.relay_seq)).size).toBe(300);
      const queue = workers[0]!.queues["order-provisioning"];
      const jobs = await queue.getJobs(["waiting", "prioritized", "delayed", "active"], 0, -1);
      expect(jobs.filter((j) => ids.includes(j.id!))).toHaveLength(300);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  });

  it("relays what committed while no worker was running as soon as one starts", async () => {
    const backlog = await Promise.all([1, 2, 3].map((i) => insertEvent(api.db, orderEvent(`ord_backlog_${i}`))));
    const worker = await startTestWorker(api, { queues: [], relay: { safetyPollMs: 60_000 } });
    try {
      await vi.waitFor(async () => expect(await relayed(backlog.map((e) => e.id))).toHaveLength(3));
    } finally {
      await worker.close();
    }
  });
});
