import { readFileSync, rmSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * One `npm start` per data folder: the first holds `<dataDir>/canopy.lock` with its pid; a second
 * finds that pid alive and refuses before it touches anything (the embedded PostgreSQL, the
 * private Redis, the credentials), so it can never stop what the first started. A lock whose pid
 * is gone (a start that was killed) is taken over.
 */
export interface InstanceLock {
  path: string;
  /** Removes the lock if it is still ours; safe to call from an exit hook. */
  releaseNow(): void;
}

export class InstanceLocked extends Error {}

const lockPath = (dataDir: string) => join(dataDir, "canopy.lock");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

export async function acquireInstanceLock(dataDir: string): Promise<InstanceLock> {
  await mkdir(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const mine = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${mine}\n`, { flag: "wx", mode: 0o644 });
      return {
        path,
        releaseNow() {
          try {
            const held = JSON.parse(readFileSync(path, "utf8")) as { pid?: number };
            if (held.pid === process.pid) rmSync(path, { force: true });
          } catch {
            // gone already, or unreadable: nothing of ours to remove
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readFile(path, "utf8")
      .then((text) => JSON.parse(text) as { pid?: number; startedAt?: string })
      .catch(() => ({}) as { pid?: number; startedAt?: string });
    if (holder.pid && holder.pid !== process.pid && alive(holder.pid)) {
      throw new InstanceLocked(
        `another \`npm start\` (pid ${holder.pid}, since ${holder.startedAt ?? "?"}) is running on the data folder ${dataDir}: ` +
          "use that one, stop it first (Ctrl-C in its terminal), or start this one with CANOPY_DATA_DIR=<another folder>",
      );
    }
    await rm(path, { force: true }); // left by a start that was killed: ours now
  }
  throw new InstanceLocked(`could not take the lock ${path}: another start is taking it at the same moment`);
}
