import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["../../packages/db/src/global-setup.ts", "./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser and one stack per file; the files share the machine's two cores.
    fileParallelism: false,
  },
});
