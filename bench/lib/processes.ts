import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  /** The last lines the process wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The Node flags that make a process under test write a CPU profile to bench/profiles/ (`--profile`). */
export function profileFlags(profile: boolean): string[] {
  return profile ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : [];
}

/**
 * Starts a TypeScript entry point of the repo as its own Node process (through tsx, as
 * `npm start` does), with extra Node flags such as --cpu-prof when profiling.
 */
export function startTs(entry: string, env: Record<string, string>, nodeFlags: string[] = [], args: string[] = []): AppProcess {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", resolve(repoRoot, entry), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    child,
    pid: child.pid!,
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx, or fails with the process's output when it exits first. */
export async function waitForHttp(url: string, app: AppProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`process exited (${app.child.exitCode}) before ${url} answered:\n${app.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${app.output()}`);
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of the given processes every `everyMs` and keeps the peak of each. */
export function watchPeakRss(pids: Record<string, number>, everyMs = 100) {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(pids).map((k) => [k, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name]!, residentBytes(pid));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** Runs a TypeScript script of the repo as its own process and returns what it printed. */
export function runTs(entry: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const app = startTs(entry, env, [], args);
  return new Promise((resolvePromise, reject) => {
    let out = "";
    app.child.stdout!.on("data", (chunk: Buffer) => (out += chunk));
    app.child.once("close", (code) =>
      code === 0 ? resolvePromise(out) : reject(new Error(`${entry} exited with ${code}:\n${app.output()}`)),
    );
  });
}
