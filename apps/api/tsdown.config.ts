import { createRequire } from "node:module";
import { defineConfig } from "tsdown";

const require = createRequire(import.meta.url);

// The production build (docker/Dockerfile): the API process and the migration runner as plain
// JavaScript for `node`. Canopy's own workspace packages (@canopy/*, TypeScript sources) are
// bundled in; every other package stays an import, installed from the lock file next to it.
// Scalar's standalone bundle is copied beside them: the image then needs no @scalar package
// (and its hundred-odd dependencies) for one file served at /docs/scalar.js.
export default defineConfig({
  entry: { main: "src/main.ts", migrate: "../../packages/db/src/migrate.ts" },
  platform: "node",
  target: "node20.19",
  format: "esm",
  fixedExtension: false,
  noExternal: [/^@canopy\//],
  external: (id) => !id.startsWith("@canopy/") && /^[@a-z]/i.test(id),
  copy: [{ from: require.resolve("@scalar/api-reference/browser/standalone.js"), to: "dist/scalar" }],
  sourcemap: true,
  clean: true,
});
