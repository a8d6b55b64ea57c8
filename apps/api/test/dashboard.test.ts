import { queueNames } from "@canopy/domain/messaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, basic, startDashboardApi } from "./dashboard-harness";

let api: Awaited<ReturnType<typeof startDashboardApi>>;
beforeAll(async () => {
  api = await startDashboardApi();
});
afterAll(() => api?.close());

const get = (path: string, authorization?: string) =>
  fetch(`${api.dashboardUrl}${path}`, { headers: authorization ? { authorization } : {} });

describe("queue dashboard access", () => {
  it("asks a browser for credentials and lets nobody in without them", async () => {
    for (const path of ["", "/api/queues"]) {
      const response = await get(path);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    }
    expect((await get("", basic(ADMIN.email, "wrong password!"))).status).toBe(401);
    expect((await get("", "Bearer not-a-key-of-anyone-at-all")).status).toBe(401);
  });

  it("lets the provider in with its API key as bearer or Basic password, or an admin's email and password", async () => {
    for (const authorization of [
      `Bearer ${api.providerKey}`,
      basic("", api.providerKey),
      basic("anything", api.providerKey),
      basic(ADMIN.email, ADMIN.password),
    ]) {
      const response = await get("/api/queues", authorization);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual([...queueNames].sort());
    }
  });

  it("refuses other accounts' admins and the provider's service users", async () => {
    const reseller = await api.provider.accounts.create.mutate({
      type: "reseller",
      name: "Dashboard reseller",
      contact: { email: "reseller@example.com" },
      address: { country: "DE" },
    });
    const { secret } = await api.provider.apiKeys.create.mutate({ name: "reseller key", accountId: reseller.id });
    expect((await get("/api/queues", `Bearer ${secret}`)).status).toBe(403);

    const me = await api.provider.auth.me.query();
    const service = { email: "ops-service@provider.test", password: "a long service password" };
    await api.provider.users.create.mutate({ accountId: me.account.id, role: "service", name: "service", ...service });
    expect((await get("/api/queues", basic(service.email, service.password))).status).toBe(403);
  });

  it("counts wrong passwords towards the login throttle, then answers 429 even to the right one", async () => {
    const me = await api.provider.auth.me.query();
    const admin = { email: "ops-throttled@provider.test", password: "the right password" };
    await api.provider.users.create.mutate({ accountId: me.account.id, role: "admin", name: "throttled", ...admin });
    for (let i = 0; i < 10; i++) expect((await get("/api/queues", basic(admin.email, `wrong ${i}`))).status).toBe(401);
    const refused = await get("/api/queues", basic(admin.email, admin.password));
    expect(refused.status).toBe(429);
  });

  it("shows job data with secrets masked, and keeps job editing closed", async () => {
    const [name] = queueNames;
    const queue = api.queues.queues.get(name!)!;
    // Paused, so that no worker of another test run could take the job meanwhile.
    await queue.pause();
    await queue.add("probe", { eventId: "evt_1", nested: { webhookSecret: "whsec_visible?", apiKey: "key", note: "plain" } } as never, {
      jobId: "probe-1",
    });

    const response = await get(`/api/queues?activeQueue=${name}&status=latest`, `Bearer ${api.providerKey}`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain("plain");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("whsec_visible?");

    const edit = await fetch(`${api.dashboardUrl}/api/queues/${name}/probe-1/update-data`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${api.providerKey}`, "content-type": "application/json" },
      body: JSON.stringify({ jobData: {} }),
    });
    expect(edit.status).toBe(403);
    expect((await queue.getJob("probe-1"))?.data).toMatchObject({ nested: { webhookSecret: "whsec_visible?" } });
  });

  it("keeps adding and editing jobs closed however the path is spelled", async () => {
    const [name] = queueNames;
    const queue = api.queues.queues.get(name!)!;
    await queue.pause();
    await queue.add("probe", { eventId: "evt_2", note: "original" } as never, { jobId: "probe-2" });
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${api.dashboardUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${api.providerKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const job = { name: "by-hand", data: { eventId: "evt_forged" }, options: {} };
    const adds = [
      `/api/queues/${name}/%61dd`,
      `/api/queues/${name}/%61%64%64`,
      `/api/queues/%6f${name!.slice(1)}/add`,
      `/api/queues/${name}/add?x=1`,
    ];
    for (const path of adds) {
      expect((await send("POST", path, job)).status, `POST ${path}`).toBe(403);
    }
    const edits = [
      `/api/queues/${name}/probe-2/update-%64ata`,
      `/api/queues/${name}/probe%2D2/update-data`,
      `/api/queues/${name}/probe-2/%75pdate-data`,
    ];
    for (const path of edits) {
      expect((await send("PATCH", path, { jobData: { note: "replaced" } })).status, `PATCH ${path}`).toBe(403);
    }
    const jobs = await queue.getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.filter((j) => (j.data as { eventId?: string }).eventId === "evt_forged")).toEqual([]);
    expect((await queue.getJob("probe-2"))?.data).toEqual({ eventId: "evt_2", note: "original" });
  });
});

describe("queue dashboard hygiene", () => {
  it("shows stack traces without the server's file paths", async () => {
    const queue = api.queues.queues.get("account-status")!;
    const job = await queue.add("account.statusChanged", {
      eventId: "evt_x",
      type: "account.statusChanged",
      accountId: "acc_x",
      subjectId: "acc_x",
    });
    await job.moveToFailed(new Error("boom at /srv/canopy/apps/worker/src/index.ts:10:5"), "0", false).catch(() => {});
    const raw = await queue.getJob(job.id!);
    expect(JSON.stringify(raw?.stacktrace ?? [])).toMatch(/\/work|\/srv|\/home|\/root|\/tmp/);
    const response = await get(`/api/queues/account-status/${job.id}`, `Bearer ${api.providerKey}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("index.ts:10:5");
    expect(text).not.toMatch(/"[^"]*\/(?:work|srv|home|root|tmp)\/[^"]*\.(?:[cm]?[jt]s):\d+/);
  });
});
