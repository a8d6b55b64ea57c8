import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The domain's shape, checked from its imports: contexts depend on each other in one direction
// only, and no folder or file takes part in an import cycle.
const src = join(dirname(fileURLToPath(import.meta.url)), "../src");

/** What each context may import; anything else is a boundary crossed the wrong way. */
const allowed: Record<string, string[]> = {
  shared: [],
  identity: ["shared"],
  catalog: ["identity", "shared"],
  commerce: ["catalog", "identity", "shared"],
  messaging: ["identity", "shared"],
  billing: ["commerce", "catalog", "identity", "messaging", "shared"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [relative(src, path)] : [];
  });
}

/** file → the files (relative imports) and contexts (`@canopy/domain/x`) it imports. */
function importGraph() {
  const files = sourceFiles(src);
  const graph = new Map<string, { files: string[]; contexts: string[] }>();
  for (const file of files) {
    const text = readFileSync(join(src, file), "utf8");
    const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
    graph.set(file, {
      files: specifiers.filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(file), `${s}.ts`))),
      contexts: specifiers.flatMap((s) => /^@canopy\/domain\/(\w+)$/.exec(s)?.[1] ?? []),
    });
  }
  return graph;
}

function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const contextOf = (file: string) => file.split("/")[0]!;
const folderOf = (file: string) => (file.includes("/") ? dirname(file) : ".");

describe("the domain's bounded contexts", () => {
  const graph = importGraph();

  it("import each other only through their public entry, in the allowed direction", () => {
    const crossings: string[] = [];
    for (const [file, { files, contexts }] of graph) {
      const own = contextOf(file);
      for (const target of files) if (contextOf(target) !== own) crossings.push(`${file} reaches into ${target}`);
      for (const context of contexts) {
        if (context !== own && !allowed[own]?.includes(context)) crossings.push(`${file} imports @canopy/domain/${context}`);
        if (context === own) crossings.push(`${file} imports its own context's entry (use a relative import)`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it("have no import cycle between files", () => {
    const edges = new Map([...graph].map(([file, { files }]) => [file, new Set(files)]));
    expect(findCycle(edges)).toBeUndefined();
  });

  it("have no import cycle between folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const [file, { files }] of graph) {
      const from = folderOf(file);
      if (!edges.has(from)) edges.set(from, new Set());
      for (const target of files) if (folderOf(target) !== from) edges.get(from)!.add(folderOf(target));
    }
    expect(findCycle(edges)).toBeUndefined();
  });
});
