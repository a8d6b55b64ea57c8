import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each test starts the whole platform (embedded PostgreSQL, API, worker) as npm start does.
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
