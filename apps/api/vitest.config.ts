import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["../../packages/db/src/global-setup.ts", "./test/redis-cleanup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
