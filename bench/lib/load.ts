import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const autocannonBin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  non2xx: number;
  errors: number;
  latencyP50: number;
  latencyP99: number;
}

/**
 * Runs autocannon in its own process (the load generator must not share an event loop, nor a
 * core's worth of scheduling, with the process under test) and reads its JSON summary.
 */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const args = [autocannonBin, "--json", "-n", "-c", String(opts.connections), "-d", String(opts.durationSeconds)];
  if (opts.method) args.push("-m", opts.method);
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("-H", `${k}=${v}`);
  if (opts.body !== undefined) args.push("-b", opts.body);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err}`));
      const r = JSON.parse(out) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
        duration: number;
      };
      resolve({
        // The mean of per-second samples under-counts the last partial second; total/duration doesn't.
        requestsPerSecond: r.requests.total / r.duration,
        total: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
        latencyP50: r.latency.p50,
        latencyP99: r.latency.p99,
      });
    });
  });
}
