import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { freePort } from "./ports";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Whether a Redis server answers PING at `url` (one attempt, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  /** For a process already exiting: asks the server to stop, without waiting. */
  stopNow(): void;
}

async function installedRedisServer(): Promise<boolean> {
  return promisify(execFile)("redis-server", ["--version"]).then(
    () => true,
    () => false,
  );
}

/**
 * A redis-server of our own on a free port with its data under `<dataDir>/redis`, in its own
 * process group so a Ctrl-C reaches it only through us, after the API and worker have closed.
 */
export async function startPrivateRedis(dataDir: string): Promise<PrivateRedis | undefined> {
  if (!(await installedRedisServer())) return undefined;
  const dir = join(dataDir, "redis");
  await mkdir(dir, { recursive: true });
  const port = await freePort(6380);
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--dir",
      dir,
      "--save",
      "60 1",
      "--appendonly",
      "no",
      "--logfile",
      join(dir, "redis.log"),
    ],
    { detached: true, stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await redisAnswers(url)) {
      return {
        url,
        async stop() {
          if (child.exitCode === null) child.kill("SIGTERM"); // redis saves its snapshot on SIGTERM
          await exited;
        },
        stopNow() {
          if (child.exitCode === null) child.kill("SIGTERM");
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on port ${port}; see ${join(dir, "redis.log")}`);
}

export const REDIS_MISSING = `Redis is needed and none answers at ${DEFAULT_REDIS_URL}, and redis-server is not installed.
  Either install it (Debian/Ubuntu: \`sudo apt-get install redis-server\`; macOS: \`brew install redis\`)
  and run \`npm start\` again (it starts a private one when none is running),
  or point REDIS_URL at a running Redis, e.g. REDIS_URL=redis://127.0.0.1:6379 npm start`;
