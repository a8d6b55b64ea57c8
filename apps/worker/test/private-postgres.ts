import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../../scripts/lib/embedded-postgres";
import { freePort } from "./support";

export interface PrivatePostgres {
  url(database: string): string;
  /** `pg_ctl stop -m fast`: every session is terminated, as in a restart. */
  stop(): Promise<void>;
  /** `pg_ctl start` on the same cluster and port. */
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its cluster. */
  remove(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (never the shared one): a cluster made by initdb in a
 * temporary folder, on a free port, with the `embedded-postgres` package's binaries, run as the
 * `postgres` system user when we are root (see scripts/lib/embedded-postgres.ts). The test can
 * stop it and start it again.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const folder = await mkdtemp(join(tmpdir(), "canopy-test-pg-"));
  await chmod(folder, 0o755); // the server's user must reach its data folder inside
  const options = { dataDir: join(folder, "data"), port: await freePort(), password: randomBytes(12).toString("hex"), log: () => {} };
  let server: EmbeddedPostgres | undefined = await startEmbeddedPostgres(options);
  const url = server.url.bind(server);
  return {
    url,
    async stop() {
      const running = server;
      server = undefined;
      await running?.stop();
    },
    async start() {
      server ??= await startEmbeddedPostgres(options);
    },
    async remove() {
      server?.stopNow();
      server = undefined;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
