import { defineConfig } from "tsdown";

// The production build (docker/Dockerfile): the worker process as plain JavaScript for `node`.
// Canopy's own workspace packages (@canopy/*, TypeScript sources) are bundled in; every other
// package stays an import, installed from the lock file next to it.
export default defineConfig({
  entry: { main: "src/main.ts" },
  platform: "node",
  target: "node20.19",
  format: "esm",
  fixedExtension: false,
  noExternal: [/^@canopy\//],
  external: (id) => !id.startsWith("@canopy/") && /^[@a-z]/i.test(id),
  sourcemap: true,
  clean: true,
});
