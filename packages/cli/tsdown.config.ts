import { readFileSync } from "node:fs";
import { defineConfig } from "tsdown";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  entry: { canopy: "src/main.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  // The SDK is bundled in (it is not published where the CLI's users install from); its
  // dependencies and the CLI's own stay ordinary dependencies.
  noExternal: ["@canopy/sdk"],
  external: [/^@trpc\//, "commander", "standardwebhooks", "eventsource"],
  define: { CLI_VERSION: JSON.stringify(version) },
  dts: false,
  clean: true,
});
