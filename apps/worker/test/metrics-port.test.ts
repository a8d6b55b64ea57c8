import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { spawnWorker, uniquePrefix, useApiWithChildWorkers, workerEnv } from "./support";

const context = useApiWithChildWorkers();

describe("the worker's metrics port", () => {
  it("when taken, is a clear one-line refusal and exit code 1, not a stack trace", { timeout: 60_000 }, async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const child = spawnWorker(
        workerEnv(context.api, uniquePrefix(), {
          WORKER_METRICS_PORT: String(port),
          WORKER_METRICS_HOST: "127.0.0.1",
          LOG_PRETTY: "false",
        }),
      );
      context.children.push(child);
      child.ready.catch(() => {});
      expect(await child.exited).toBe(1);
      const lines = child.output().trim().split("\n");
      const refusal = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).find((l) => l.level === 60);
      expect(refusal?.msg).toBe(
        `port ${port} (WORKER_METRICS_PORT, the worker's metrics) is taken: stop what listens there, or set WORKER_METRICS_PORT=<another port> (0: no metrics)`,
      );
      expect(child.output()).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      squatter.close();
    }
  });
});
