import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../dist/canopy.mjs", import.meta.url));

/** A home of its own per test file, so profiles never touch the developer's. */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "canopy-cli-home-"));
  const { CANOPY_URL, CANOPY_API_KEY, CANOPY_PROFILE, ...inherited } = process.env;
  return { ...inherited, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...extra };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  const child = startCli(args, env);
  return finished(child, input);
}

export function finished(child: ChildProcess, input?: string): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d));
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  child.stdin!.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
