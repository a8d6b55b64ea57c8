// npm pack / npm publish of a workspace package (prepack: `apply`, postpack: `restore`).
//
// Inside the monorepo a package's `exports` point at its TypeScript source, so tsx, vitest and tsc
// use it live with no build step. npm, unlike pnpm, does not apply `publishConfig` overrides
// itself: `apply` writes the packed manifest — `publishConfig`'s `name`, `exports`, `main`, `types`,
// `bin`, … over the workspace ones, no `private`, no `devDependencies` (workspace-only names never
// leave the repository) — keeping the original beside it; `restore` puts the original back.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const manifest = "package.json";
const saved = "package.json.workspace";
const mode = process.argv[2];

if (mode === "apply") {
  if (existsSync(saved)) throw new Error(`${saved} exists: a previous pack did not finish; restore it first`);
  const pkg = JSON.parse(readFileSync(manifest, "utf8"));
  const { publishConfig = {}, ...rest } = pkg;
  const { registry, access, tag, provenance, ...overrides } = publishConfig;
  const packed = { ...rest, ...overrides };
  delete packed.private;
  delete packed.devDependencies;
  const kept = Object.fromEntries(Object.entries({ registry, access, tag, provenance }).filter(([, v]) => v !== undefined));
  if (Object.keys(kept).length) packed.publishConfig = kept;
  renameSync(manifest, saved);
  writeFileSync(manifest, `${JSON.stringify(packed, null, 2)}\n`);
} else if (mode === "restore") {
  if (existsSync(saved)) renameSync(saved, manifest);
} else {
  console.error("usage: node publish-manifest.mjs apply|restore");
  process.exit(2);
}
