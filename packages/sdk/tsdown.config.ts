import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts", "index.node": "src/index.node.ts", webhooks: "src/webhooks.ts" },
  format: ["esm", "cjs"],
  // index.node.ts imports node:http; index.ts and webhooks.ts stay free of Node built-ins.
  platform: "neutral",
  target: "es2022",
  // tsconfig.build.json maps @canopy/api to build/contract.d.ts, which the declarations inline.
  tsconfig: "tsconfig.build.json",
  dts: { oxc: true },
  external: [/^@trpc\//, "standardwebhooks", "eventsource", /^node:/],
  clean: true,
});
