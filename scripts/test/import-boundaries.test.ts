import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundariesConfigPath, importBoundariesConfig } from "../lib/import-boundaries";

const root = fileURLToPath(new URL("../..", import.meta.url));
const domain = "packages/domain/src";

// Each case is one file with one import, placed at the folder's depth in a scratch copy of the layout.
// `refused` is a fragment of the message Biome must give; null means the import is allowed.
const cases: { from: string; source: string; refused: string | null }[] = [
  { from: `${domain}/identity`, source: "@canopy/domain/shared", refused: null },
  { from: `${domain}/commerce`, source: "@canopy/domain/catalog", refused: null },
  { from: `${domain}/commerce`, source: "./orders/orders.service", refused: null },
  { from: `${domain}/commerce/orders`, source: "../subscriptions/subscriptions.service", refused: null },
  { from: `${domain}/commerce/orders`, source: "@canopy/db", refused: null },
  { from: `${domain}/messaging/webhooks/deliveries`, source: "../../queues/queues", refused: null },
  { from: `${domain}/billing`, source: "@canopy/domain/messaging", refused: null },
  { from: "apps/server/src", source: "@canopy/db", refused: null },
  { from: "apps/server/test", source: "kysely", refused: null },
  { from: "packages/api/src/routers", source: "@canopy/domain/commerce", refused: null },

  { from: `${domain}/shared`, source: "@canopy/domain/identity", refused: "shared is the bottom of the domain" },
  { from: `${domain}/catalog`, source: "@canopy/domain/commerce", refused: "catalog may import only identity, shared" },
  { from: `${domain}/messaging`, source: "@canopy/domain/commerce", refused: "messaging may import only identity, shared" },
  { from: `${domain}/identity/users`, source: "@canopy/domain/billing", refused: "identity may import only shared" },
  { from: `${domain}/commerce`, source: "@canopy/domain", refused: "commerce may import only" },
  { from: `${domain}/commerce`, source: "@canopy/domain/identity/users", refused: "commerce may import only" },
  { from: `${domain}/commerce/orders`, source: "@canopy/domain/commerce", refused: "Inside commerce/" },
  { from: `${domain}/commerce`, source: "../identity/users", refused: "A relative import stays inside commerce/" },
  { from: `${domain}/commerce/orders`, source: "../../identity/users", refused: "A relative import stays inside commerce/" },
  { from: `${domain}/messaging/webhooks/deliveries`, source: "../../../commerce", refused: "stays inside messaging/" },
  { from: `${domain}/commerce/orders`, source: "bullmq", refused: "know nothing of tRPC, Fastify, BullMQ or Redis" },
  { from: `${domain}/identity`, source: "@trpc/server", refused: "know nothing of tRPC, Fastify, BullMQ or Redis" },
  { from: `${domain}/messaging/queues`, source: "ioredis", refused: "know nothing of tRPC, Fastify, BullMQ or Redis" },
  { from: `${domain}/shared`, source: "@canopy/api", refused: "never imports a layer above it" },
  { from: "packages/db/src", source: "fastify", refused: "know nothing of tRPC, Fastify, BullMQ or Redis" },
  { from: "packages/db/src", source: "@canopy/domain/shared", refused: "never imports a layer above it" },
  { from: "apps/server/src", source: "kysely", refused: "Apps write no SQL" },
  { from: "apps/worker/src/processors", source: "pg", refused: "Apps write no SQL" },
  { from: "packages/api/src", source: "fastify", refused: "The API contract knows no HTTP server" },
  { from: "packages/api/src/routers", source: "bullmq", refused: "The API contract knows no HTTP server" },
  { from: "packages/api/src", source: "kysely", refused: "The API contract knows no HTTP server" },
  { from: "packages/api/src", source: "@canopy/server", refused: "never imports a layer above it" },
  { from: "packages/sdk/src", source: "@canopy/domain/src/commerce", refused: "never its src/ files" },
  { from: "apps/worker/test", source: "@canopy/api/src/router", refused: "never its src/ files" },
];

describe("import boundaries", () => {
  it("biome.boundaries.json is what scripts/lib/import-boundaries.ts generates (run `npm run lint:boundaries`)", () => {
    expect(JSON.parse(readFileSync(boundariesConfigPath, "utf8"))).toEqual(importBoundariesConfig());
  });

  describe("Biome refuses every crossing and lets the allowed imports through", () => {
    let scratch: string;
    const messages = new Map<string, string[]>();

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), "canopy-boundaries-"));
      copyFileSync(join(root, "biome.json"), join(scratch, "biome.json"));
      copyFileSync(boundariesConfigPath, join(scratch, "biome.boundaries.json"));
      cases.forEach(({ from, source }, i) => {
        mkdirSync(join(scratch, from), { recursive: true });
        writeFileSync(join(scratch, from, `case-${i}.ts`), `import { x } from "${source}";\n\nexport const y = x;\n`);
      });
      const biome = spawnSync(
        join(root, "node_modules/.bin/biome"),
        ["lint", "--vcs-enabled=false", "--only=style/noRestrictedImports", "--reporter=json", "--max-diagnostics=none", "."],
        { cwd: scratch, encoding: "utf8" },
      );
      const report = JSON.parse(biome.stdout) as { diagnostics: { message: string; location: { path: string } }[] };
      for (const { message, location } of report.diagnostics) {
        messages.set(location.path, [...(messages.get(location.path) ?? []), message]);
      }
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it.each(cases.map((c, i) => ({ ...c, file: `${c.from}/case-${i}.ts` })))("$from imports $source", ({ file, refused }) => {
      const got = messages.get(file) ?? [];
      if (refused === null) expect(got).toEqual([]);
      else expect(got.join("\n")).toContain(refused);
    });
  });
});
