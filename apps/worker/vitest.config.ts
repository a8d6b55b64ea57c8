import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["../../packages/db/src/global-setup.ts"],
    // Deletes each file's Redis keys after its own afterAll hooks (which "stack" runs first).
    setupFiles: ["./test/setup.ts"],
    sequence: { hooks: "stack" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
