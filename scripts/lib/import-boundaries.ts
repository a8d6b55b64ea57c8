// The import boundaries of the repository, as data. Biome's noRestrictedImports enforces them, but a
// file gets the options of the LAST override that matches it (options never merge), so every override
// below carries the whole list for its files. `npm run lint:boundaries` writes them to
// biome.boundaries.json, which biome.json extends; scripts/test/import-boundaries.test.ts fails when
// the file and this table disagree, and shows Biome rejecting each kind of crossing.
import { fileURLToPath } from "node:url";

export const boundariesConfigPath = fileURLToPath(new URL("../../biome.boundaries.json", import.meta.url));

/** The domain's bounded contexts and the contexts each may import (through `@canopy/domain/<context>`). */
export const contextDependencies: Record<string, readonly string[]> = {
  shared: [],
  identity: ["shared"],
  catalog: ["identity", "shared"],
  commerce: ["catalog", "identity", "shared"],
  messaging: ["identity", "shared"],
  billing: ["commerce", "catalog", "identity", "shared", "messaging"],
};

/** The hosts and front doors in apps/: nothing in packages/ imports them. */
const apps = ["@canopy/server", "@canopy/worker", "@canopy/web", "@canopy/cli"];

/** Files deeper than this inside a context are checked as if at this depth (stricter, never looser). */
const deepestChecked = 3;

export interface RestrictedPattern {
  group: string[];
  message: string;
}

export interface BoundaryOverride {
  includes: string[];
  linter: { rules: { style: { noRestrictedImports: { level: "error"; options: { patterns: RestrictedPattern[] } } } } };
}

/** A package and everything under it: `fastify` and `fastify/types/...`. */
const withSubpaths = (names: string[]) => names.flatMap((name) => [name, `${name}/**`]);

const deepImports: RestrictedPattern = {
  group: ["@canopy/*/src", "@canopy/*/src/**"],
  message: "Import a workspace package through its exports (e.g. @canopy/domain/commerce), never its src/ files.",
};

const aboveTheDomain: RestrictedPattern = {
  group: withSubpaths(["@trpc/*", "fastify", "@fastify/*", "bullmq", "ioredis"]),
  message: "The domain and the database layer know nothing of tRPC, Fastify, BullMQ or Redis: the apps pass in what they need.",
};

const upward = (layer: string, above: string[]): RestrictedPattern => ({
  group: withSubpaths(above),
  message: `Data flows apps → @canopy/api → @canopy/domain → @canopy/db: ${layer} never imports a layer above it.`,
});

const restrict = (includes: string[], patterns: RestrictedPattern[]): BoundaryOverride => ({
  includes,
  linter: { rules: { style: { noRestrictedImports: { level: "error", options: { patterns } } } } },
});

const domainWide = [deepImports, aboveTheDomain, upward("the domain", ["@canopy/api", ...apps])];

function contextPatterns(context: string, depth: number): RestrictedPattern[] {
  const allowed = contextDependencies[context] ?? [];
  const up = "../".repeat(depth + 1);
  return [
    ...domainWide,
    {
      group: withSubpaths([`@canopy/domain/${context}`]),
      message: `Inside ${context}/, import its own files by relative path, not through @canopy/domain/${context}.`,
    },
    {
      group: ["@canopy/domain", "@canopy/domain/**", ...allowed.map((other) => `!@canopy/domain/${other}`)],
      message:
        allowed.length === 0
          ? `${context} is the bottom of the domain: it imports no other context.`
          : `${context} may import only ${allowed.join(", ")}, each through its entry @canopy/domain/<context>.`,
    },
    {
      group: [up.slice(0, -1), `${up}**`],
      message: `A relative import stays inside ${context}/: reach another context through @canopy/domain/<context>.`,
    },
  ];
}

/** Files of a context at one depth: depth 0 is `commerce/*.ts`, depth 1 `commerce/orders/*.ts`; the last depth takes all deeper. */
function contextFiles(context: string, depth: number): string {
  const folders = "*/".repeat(depth);
  return depth === deepestChecked ? `packages/domain/src/${context}/${folders}**` : `packages/domain/src/${context}/${folders}*.ts`;
}

/** biome.boundaries.json: the repository-wide patterns, then the overrides from the most general to the most specific. */
export function importBoundariesConfig() {
  const contexts = Object.keys(contextDependencies);
  return {
    linter: { rules: { style: { noRestrictedImports: { level: "error", options: { patterns: [deepImports] } } } } },
    overrides: [
      // Tests may reach into the database to stage what no API call can (a failing trigger, a row count).
      restrict(
        ["apps/**", "!apps/*/test/**", "!apps/**/*.test.ts"],
        [
          deepImports,
          {
            group: withSubpaths(["kysely", "pg"]),
            message: "Apps write no SQL: call a domain function (createDb and migrateToLatest from @canopy/db are fine).",
          },
        ],
      ),
      restrict(
        ["packages/api/**"],
        [
          deepImports,
          {
            group: withSubpaths(["fastify", "@fastify/*", "bullmq", "kysely"]),
            message: "The API contract knows no HTTP server, queue or SQL: the host app brings the transport, the domain the queries.",
          },
          upward("@canopy/api", apps),
        ],
      ),
      restrict(["packages/db/**"], [deepImports, aboveTheDomain, upward("@canopy/db", ["@canopy/domain", "@canopy/api", ...apps])]),
      restrict(["packages/domain/**"], domainWide),
      ...contexts.flatMap((context) =>
        Array.from({ length: deepestChecked + 1 }, (_, depth) => restrict([contextFiles(context, depth)], contextPatterns(context, depth))),
      ),
    ],
  };
}
