import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

const COLOURS = { api: 36, worker: 35, start: 32 } as const; // cyan, magenta, green

/** Writes `line` labelled `[name]`, coloured when the terminal is a TTY. */
export function labelled(name: string, pretty: boolean): (line: string) => void {
  const colour = COLOURS[name as keyof typeof COLOURS] ?? 33;
  const label = `[${name}]`.padEnd(9);
  const prefix = pretty ? `\x1b[${colour}m${label}\x1b[0m` : label;
  return (line) => process.stdout.write(`${prefix}${line}\n`);
}

export interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

function pipeLines(stream: Readable | null, write: (line: string) => void) {
  if (stream) createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", write);
}

/**
 * Runs a TypeScript entry point as a child (`node --import tsx`, one process, no relay) with its
 * output labelled. Each child gets its own process group: a Ctrl-C in the terminal reaches only
 * us, and we stop the children in order.
 */
export function startService(opts: { name: string; entry: string; env: NodeJS.ProcessEnv; cwd: string; pretty: boolean }): Service {
  const write = labelled(opts.name, opts.pretty);
  const child = spawn(process.execPath, ["--import", "tsx", opts.entry], {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  pipeLines(child.stdout, write);
  pipeLines(child.stderr, write);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    name: opts.name,
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
