import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  // Trusting X-Forwarded-For lets the test play several clients at once.
  api = await startApi({ trustProxy: true });
});
afterAll(() => api?.close());

const loginPath = (calls: number) => `/trpc/${Array(calls).fill("auth.login").join(",")}?batch=1`;

async function loginBatch(
  calls: number,
  { address, passwordLength, first = 0 }: { address: string; passwordLength: number; first?: number },
) {
  const body = Object.fromEntries(
    Array.from({ length: calls }, (_, i) => [
      i,
      { email: `nobody-${address}-${first + i}@example.com`, password: "x".repeat(passwordLength) },
    ]),
  );
  return fetch(`${api.url}${loginPath(calls)}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify(body),
  });
}

describe("password checks under a flood of anonymous logins", () => {
  it("refuses a batch of more than 50 calls with 400, saying so, before running any", async () => {
    const response = await loginBatch(300, { address: "203.0.113.1", passwordLength: 16 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/at most 50 calls/);
    const throttled = await api.db.selectFrom("login_throttle").select("email").where("address", "=", "203.0.113.1").execute();
    expect(throttled).toEqual([]);
  });

  it("refuses passwords longer than 256 characters before hashing them", async () => {
    const anonymous = api.clientFrom("203.0.113.2");
    expect(await codeOf(anonymous.auth.login.mutate({ email: "someone@example.com", password: "x".repeat(1024) }))).toBe("BAD_REQUEST");
  });

  it("answers another client's sign-in while one client's checks are still queued", { timeout: 180_000 }, async () => {
    const { email, password } = await api.user(api.providerId, "admin");
    const signIn = async () => {
      const started = performance.now();
      expect(await codeOf(api.clientFrom("192.0.2.200").auth.login.mutate({ email, password }))).toBe("OK");
      return Math.round(performance.now() - started);
    };
    const idleMs = await signIn();

    // Four addresses, each with three batches of four long passwords for unknown emails (each
    // hashed, so as not to tell which emails exist): 48 scrypt runs asked for at once.
    let answered = 0;
    const flood = Array.from({ length: 12 }, (_, i) =>
      loginBatch(4, { address: `198.51.100.${(i % 4) + 1}`, passwordLength: 256, first: Math.floor(i / 4) * 4 }).then(async (r) => {
        await r.arrayBuffer();
        answered++;
        return r.status;
      }),
    );
    // The flood has reached the password checks once its attempts are counted.
    await vi.waitFor(
      async () => {
        const row = await api.db
          .selectFrom("login_throttle")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("address", "like", "198.51.100.%")
          .executeTakeFirstOrThrow();
        expect(Number(row.n)).toBeGreaterThanOrEqual(24);
      },
      { timeout: 30_000, interval: 20 },
    );
    const floodStarted = performance.now();
    const duringMs = await signIn();
    const answeredBeforeSignIn = answered;
    const statuses = await Promise.all(flood);
    const floodMs = Math.round(performance.now() - floodStarted);
    console.info(
      `sign-in: ${idleMs} ms idle, ${duringMs} ms during a 48-check flood from 4 addresses ` +
        `(${answeredBeforeSignIn}/12 flood requests answered before it; the flood took ${floodMs} ms more)`,
    );
    expect(statuses).toEqual(Array(12).fill(401));
    // The sign-in did not wait for the flood: most of it was still queued.
    expect(answeredBeforeSignIn).toBeLessThanOrEqual(6);
  });
});
