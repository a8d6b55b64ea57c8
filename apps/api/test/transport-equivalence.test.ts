import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type AppRouter, appRouter, createContextFromHeaders } from "@canopy/api";
import { createTestDatabase } from "@canopy/db/testing";
import { bootstrapPlatform } from "@canopy/domain/identity";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify from "fastify";
import { expect, it } from "vitest";
import { trpcHttp } from "../src/trpc-http";

/**
 * The buffered transport (src/trpc-http.ts) answers exactly as tRPC's stock Fastify adapter:
 * status, body, Vary and Allow, over a spread of good, bad and batched requests. The one
 * intended difference: it labels every answer application/json (the stock adapter sends
 * whole-request errors as text/plain).
 */
it("answers every request as tRPC's stock adapter does", async () => {
  const database = await createTestDatabase();
  const key = `bootstrap_${randomBytes(24).toString("base64url")}`;
  await bootstrapPlatform(database.db, { apiKey: key, adminEmail: "a@p.test", adminPassword: "correct horse battery staple" });
  const stock = Fastify({ routerOptions: { maxParamLength: 5000 } });
  const trpcOptions: FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] = {
    router: appRouter,
    createContext: ({ req }) =>
      createContextFromHeaders({
        db: database.db,
        headers: { authorization: req.headers.authorization },
        clientAddress: req.ip,
        requestId: req.id,
      }),
  };
  await stock.register(fastifyTRPCPlugin, { prefix: "/trpc", trpcOptions });
  const lean = Fastify({ routerOptions: { maxParamLength: 5000 } });
  await lean.register(
    async (s) =>
      trpcHttp(s, {
        router: appRouter,
        createContext: ({ req }) =>
          createContextFromHeaders({
            db: database.db,
            headers: { authorization: req.headers.authorization },
            clientAddress: req.ip,
            requestId: req.id,
          }),
      }),
    { prefix: "/trpc" },
  );
  await stock.listen({ port: 0, host: "127.0.0.1" });
  await lean.listen({ port: 0, host: "127.0.0.1" });
  const urls = [stock, lean].map((a) => `http://127.0.0.1:${(a.server.address() as AddressInfo).port}/trpc/`);
  const auth = { authorization: `Bearer ${key}` };
  const j = { "content-type": "application/json" };
  const inp = (v: unknown) => encodeURIComponent(JSON.stringify(v));
  const cases: [string, RequestInit][] = [
    ["auth.whoami", { headers: auth }],
    ["auth.whoami", { headers: {} }],
    ["auth.whoami", { method: "POST", headers: { ...auth, ...j }, body: "{}" }],
    ["auth.logout", { headers: auth }],
    ["nope.nope", { headers: auth }],
    ["accounts.create", { method: "POST", headers: { ...auth, ...j }, body: "{bad" }],
    ["accounts.create", { method: "POST", headers: { ...auth, ...j }, body: "" }],
    ["accounts.create", { method: "POST", headers: { ...auth, ...j }, body: "42" }],
    [`accounts.get?input=${inp({ id: 7 })}`, { headers: auth }],
    [`accounts.get?input=${inp({ id: "acc_x" })}`, { headers: auth }],
    [`accounts.get?input=%7Bbad`, { headers: auth }],
    [`auth.whoami,accounts.get?batch=1&input=${inp({ 1: { id: "acc_x" } })}`, { headers: auth }],
    [`auth.whoami,auth.whoami?batch=1`, { headers: auth }],
    [`auth.whoami,nope?batch=1&input=${inp([1])}`, { headers: auth }],
    [`auth.whoami,accounts.get?batch=1&input=42`, { headers: auth }],
    [`auth.whoami,auth.logout?batch=1`, { headers: auth }],
    [`auth.whoami,auth.logout?batch=1`, { method: "POST", headers: { ...auth, ...j }, body: "{}" }],
    [`auth.whoami%ZZ`, { headers: auth }],
    [`auth.whoami`, { method: "HEAD", headers: auth }],
    [`auth.whoami`, { method: "PUT", headers: { ...auth, ...j }, body: "{}" }],
    [`auth.whoami`, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "{}" }],
  ];
  for (const [path, init] of cases) {
    const [a, b] = await Promise.all(
      urls.map(async (u) => {
        const r = await fetch(u + path, init);
        const handledLean =
          u === urls[1] && init.method !== "HEAD" && !(init.headers as Record<string, string>)["content-type"]?.startsWith("text/");
        if (handledLean) expect(r.headers.get("content-type")).toMatch(/^application\/json/);
        return { status: r.status, vary: r.headers.get("vary"), allow: r.headers.get("allow"), body: await r.text() };
      }),
    );
    expect({ path, ...b }).toEqual({ path, ...a });
  }
  await stock.close();
  await lean.close();
  await database.drop();
});
