// Writes biome.boundaries.json (extended by biome.json) from the table in scripts/lib/import-boundaries.ts.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { boundariesConfigPath, importBoundariesConfig } from "./lib/import-boundaries";

writeFileSync(boundariesConfigPath, `${JSON.stringify(importBoundariesConfig(), null, 2)}\n`);
execFileSync("npx", ["biome", "format", "--write", boundariesConfigPath], { stdio: "inherit" });
