// The baseline of benchmark 2, in its own process: replays the SQL statements orders.place
// issues (captured from the domain function, see ../benchmarks/order-throughput.ts) in one
// transaction per order, `concurrency` at a time over a pool the size of the API's, with
// fresh ids for the rows each order creates. Prints {"orders": n, "seconds": s} on stdout.
import { readFileSync } from "node:fs";
import pg from "pg";
import { typeid } from "typeid-js";

interface Statement {
  sql: string;
  parameters: unknown[];
}
interface Script {
  databaseUrl: string;
  poolSize: number;
  seconds: number;
  /** One captured transaction per concurrent loop (each its own customer). */
  transactions: Statement[][];
  /** Parameter values that were ids generated during the capture: replaced per replay. */
  freshIds: string[];
}
const script = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Script;
const fresh = new Set(script.freshIds);
const pool = new pg.Pool({ connectionString: script.databaseUrl, max: script.poolSize });

/** A new id of the same prefix, time-ordered like the real ones (index appends stay appends). */
function renew(id: string): string {
  return typeid(id.slice(0, id.lastIndexOf("_"))).toString();
}

async function placeOne(statements: Statement[]) {
  const ids = new Map<string, string>();
  const client = await pool.connect();
  try {
    await client.query("begin");
    for (const { sql, parameters } of statements) {
      const values = parameters.map((v) => (typeof v === "string" && fresh.has(v) ? (ids.get(v) ?? ids.set(v, renew(v)).get(v)!) : v));
      await client.query(sql, values);
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

let orders = 0;
const cpuAtStart = process.cpuUsage();
const started = performance.now();
const until = started + script.seconds * 1000;
await Promise.all(
  script.transactions.map(async (statements) => {
    while (performance.now() < until) {
      await placeOne(statements);
      orders++;
    }
  }),
);
const cpu = process.cpuUsage(cpuAtStart);
console.log(JSON.stringify({ orders, seconds: (performance.now() - started) / 1000, cpuUsPerOrder: (cpu.user + cpu.system) / orders }));
await pool.end();
