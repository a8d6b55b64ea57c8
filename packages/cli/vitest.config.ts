import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The database template first, then the CLI built once: the tests run dist/canopy.js.
    globalSetup: ["../../packages/db/src/global-setup.ts", "./test/build.global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The worker's tests' teardown: each file's BullMQ keys go once its own afterAll hooks are done.
    setupFiles: ["../../apps/worker/test/setup.ts"],
    sequence: { hooks: "stack" },
  },
});
