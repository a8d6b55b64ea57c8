import { appRouter, withoutOutputValidation } from "@canopy/api";
import { initTRPC } from "@trpc/server";
import { generateOpenApiDocument } from "trpc-to-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Api, startApi } from "./harness";

/** API_VALIDATE_OUTPUT=0: the same procedures without their output checks (packages/api/src/output-validation.ts). */
type Def = { type: string; inputs: unknown[]; output?: unknown; meta?: unknown; middlewares: { _type?: string }[] };
const defs = (router: typeof appRouter) =>
  Object.entries(router._def.procedures as unknown as Record<string, { _def: Def }>).map(([path, p]) => [path, p._def] as const);

describe("withoutOutputValidation", () => {
  const stripped = withoutOutputValidation(appRouter);

  it("keeps every procedure, its inputs, meta and output schema, and drops only the output check", () => {
    const before = new Map(defs(appRouter));
    const after = new Map(defs(stripped));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, def] of before) {
      const copy = after.get(path)!;
      expect({ path, type: copy.type }).toEqual({ path, type: def.type });
      expect(copy.inputs).toEqual(def.inputs);
      expect(copy.meta).toEqual(def.meta);
      expect(copy.output).toBe(def.output);
      const checks = def.middlewares.filter((m) => m._type === "output").length;
      expect(copy.middlewares.filter((m) => m._type === "output")).toHaveLength(0);
      expect(copy.middlewares).toHaveLength(def.middlewares.length - checks);
    }
    // Most procedures declare an output schema: the switch has something to switch.
    expect([...before.values()].filter((d) => d.middlewares.some((m) => m._type === "output")).length).toBeGreaterThan(40);
  });

  it("leaves the OpenAPI document's response schemas as they were", () => {
    const options = { title: "t", version: "1", baseUrl: "http://x" };
    expect(generateOpenApiDocument(stripped, options)).toEqual(generateOpenApiDocument(appRouter, options));
  });

  it("returns results as the resolver made them: unknown fields kept, mismatches not refused", async () => {
    const t = initTRPC.create();
    const small = t.router({
      extra: t.procedure.output(z.object({ id: z.string() })).query(() => ({ id: "a", internal: "b" }) as { id: string }),
      nested: { wrong: t.procedure.output(z.object({ n: z.number() })).query(() => ({ n: "not a number" }) as unknown as { n: number }) },
    });
    const checked = t.createCallerFactory(small)({});
    const unchecked = t.createCallerFactory(withoutOutputValidation(small))({});
    expect(await checked.extra()).toEqual({ id: "a" });
    expect(await unchecked.extra()).toEqual({ id: "a", internal: "b" });
    await expect(checked.nested.wrong()).rejects.toThrow("Output validation failed");
    expect(await unchecked.nested.wrong()).toEqual({ n: "not a number" });
  });
});

describe("a host with validateOutput: false", () => {
  let checked: Api;
  let unchecked: Api;
  beforeAll(async () => {
    [checked, unchecked] = await Promise.all([startApi(), startApi({ validateOutput: false })]);
  });
  afterAll(() => Promise.all([checked?.close(), unchecked?.close()]));

  const get = async (api: Api, path: string) => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.providerKey}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("answers whoami over tRPC and REST as the checked host does", async () => {
    const trpc = [await get(checked, "/trpc/auth.whoami"), await get(unchecked, "/trpc/auth.whoami")];
    const rest = [await get(checked, "/api/v1/auth/whoami"), await get(unchecked, "/api/v1/auth/whoami")];
    for (const pair of [trpc, rest]) {
      expect(pair[0]!.status).toBe(200);
      expect(pair[1]!.status).toBe(200);
      // Two databases, two bootstrap keys: the same shape, each its own ids.
      expect(Object.keys(pair[1]!.body).sort()).toEqual(Object.keys(pair[0]!.body).sort());
    }
    expect((trpc[1]!.body.result as { data: { kind: string; role: string } }).data).toMatchObject({ kind: "apiKey", role: "admin" });
    expect(rest[1]!.body).toMatchObject({ kind: "apiKey", role: "admin" });
  });

  it("still refuses invalid input", async () => {
    const response = await fetch(`${unchecked.url}/api/v1/accounts?limit=nope`, {
      headers: { authorization: `Bearer ${unchecked.providerKey}` },
    });
    expect(response.status).toBe(400);
  });
});
