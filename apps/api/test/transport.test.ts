import type { AppRouter } from "@canopy/sdk";
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, httpLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

/**
 * The HTTP transport keeps tRPC's semantics (it answers buffered, see src/trpc-http.ts):
 * batching, methods, status codes and the error shape, through the real @trpc/client.
 */
let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

/** A fetch that records the requests it makes. */
function recordingFetch() {
  const calls: { url: string; method: string }[] = [];
  const fetcher: typeof fetch = (input, init) => {
    calls.push({ url: String(input), method: init?.method ?? "GET" });
    return fetch(input, init);
  };
  return { calls, fetcher };
}

function client(
  link: typeof httpBatchLink | typeof httpLink | typeof httpBatchStreamLink,
  fetcher?: typeof fetch,
  apiKey = api.providerKey,
) {
  return createTRPCClient<AppRouter>({
    links: [link({ url: `${api.url}/trpc`, headers: { authorization: `Bearer ${apiKey}` }, fetch: fetcher })],
  });
}

async function raw(path: string, init: RequestInit & { auth?: boolean } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.auth !== false) headers.authorization = `Bearer ${api.providerKey}`;
  const response = await fetch(`${api.url}/trpc/${path}`, { ...init, headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

describe("request ids", () => {
  it("echoes the caller's x-request-id, or gives one", async () => {
    const given = await fetch(`${api.url}/healthz`, { headers: { "x-request-id": "support-ticket-4711" } });
    expect(given.headers.get("x-request-id")).toBe("support-ticket-4711");
    const made = await raw("auth.whoami");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("batching", () => {
  it("sends calls of one tick as one request and answers each on its own", async () => {
    const { calls, fetcher } = recordingFetch();
    const batched = client(httpBatchLink, fetcher);
    const [me, missing, invalid] = await Promise.allSettled([
      batched.auth.whoami.query(),
      batched.accounts.get.query({ id: "acc_doesnotexist0000000000000" }),
      batched.accounts.get.query({ id: 42 as unknown as string }),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toContain("batch=1");
    expect(me.status === "fulfilled" && me.value.accountId).toBe(api.providerId);
    expect(missing.status === "rejected" && (await codeOf(Promise.reject(missing.reason)))).toBe("NOT_FOUND");
    expect(invalid.status === "rejected" && (await codeOf(Promise.reject(invalid.reason)))).toBe("BAD_REQUEST");
  });

  it("batches mutations in one POST", async () => {
    const { calls, fetcher } = recordingFetch();
    const batched = client(httpBatchLink, fetcher);
    const [a, b] = await Promise.all([
      batched.accounts.create.mutate({
        type: "customer",
        name: `Batch A ${api.unique()}`,
        contact: { email: "a@example.com" },
        address: { country: "DE" },
      }),
      batched.accounts.create.mutate({
        type: "customer",
        name: `Batch B ${api.unique()}`,
        contact: { email: "b@example.com" },
        address: { country: "FR" },
      }),
    ]);
    expect(calls).toEqual([expect.objectContaining({ method: "POST" })]);
    expect(a.id).not.toBe(b.id);
  });

  it("answers a mixed batch 207 with one result or error per call", async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: { id: "acc_doesnotexist0000000000000" } }));
    const { status, body } = await raw(`auth.whoami,accounts.get?batch=1&input=${input}`, { method: "GET" });
    expect(status).toBe(207);
    const [ok, notFound] = body as [{ result: { data: { kind: string } } }, { error: { data: { code: string; httpStatus: number } } }];
    expect(ok.result.data.kind).toBe("apiKey");
    expect(notFound.error.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
  });

  it("streams a batch to httpBatchStreamLink", async () => {
    const streamed = client(httpBatchStreamLink);
    const [me, list] = await Promise.all([streamed.auth.whoami.query(), streamed.accounts.list.query({ limit: 1 })]);
    expect(me.kind).toBe("apiKey");
    expect(list.items.length).toBeLessThanOrEqual(1);
  });
});

describe("status codes and the error shape", () => {
  it("answers 401 without a credential, in tRPC's error shape", async () => {
    const { status, body } = await raw("auth.whoami", { auth: false });
    expect(status).toBe(401);
    expect(body).toEqual({
      error: {
        message: expect.any(String),
        code: -32001,
        data: expect.objectContaining({ code: "UNAUTHORIZED", httpStatus: 401, path: "auth.whoami", zodError: null, fieldErrors: null }),
      },
    });
    expect(await codeOf(client(httpLink, undefined, "not-a-valid-key-at-all").auth.whoami.query())).toBe("UNAUTHORIZED");
  });

  it("answers 404 for an unknown procedure", async () => {
    const { status, body } = await raw("accounts.nothingHere");
    expect(status).toBe(404);
    expect((body as { error: { data: { code: string } } }).error.data.code).toBe("NOT_FOUND");
  });

  it("answers 405 for a query sent as POST and a mutation sent as GET", async () => {
    const post = await raw("auth.whoami", { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect((post.body as { error: { data: { code: string } } }).error.data.code).toBe("METHOD_NOT_SUPPORTED");
    const get = await raw("auth.logout");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("answers 400 BAD_REQUEST to a body that is not JSON", async () => {
    const { status, body } = await raw("accounts.create", { method: "POST", body: "{not json" });
    expect(status).toBe(400);
    expect((body as { error: { data: { code: string } } }).error.data.code).toBe("BAD_REQUEST");
  });

  it("puts zod's field errors in the error's data through the client", async () => {
    try {
      await client(httpLink).accounts.create.mutate({ type: "customer", name: "", contact: { email: "nope" }, address: { country: "DE" } });
      expect.unreachable();
    } catch (error) {
      const data = (error as { data: { code: string; httpStatus: number; zodError: { fieldErrors: Record<string, unknown> } } }).data;
      expect(data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
      expect(Object.keys(data.zodError.fieldErrors).sort()).toEqual(["contact.email", "name"]);
      expect((error as Error).message).toBe(
        "name: too small: expected string to have >=1 characters; contact.email: invalid email address",
      );
    }
  });
});
