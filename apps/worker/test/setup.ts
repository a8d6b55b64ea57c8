import { afterAll } from "vitest";
import { deleteTestKeys } from "./redis-keys";

// Registered before the test file's own hooks, so (hooks run as a stack) after them: once its
// workers and child processes are gone, nothing writes under its prefixes any more.
afterAll(async () => {
  await deleteTestKeys();
});
