// Load generator for benchmark 2, in its own process: `concurrency` loops, each placing orders
// with the typed client (one HTTP request per order) for `seconds`, each loop as its own
// customer. Prints {"orders": n, "seconds": s, "failures": f} on stdout.
import { createCanopyClient } from "@canopy/sdk";

const { url, keys, mpn, seconds, transport } = JSON.parse(process.argv[2]!) as {
  url: string;
  keys: string[];
  mpn: string;
  seconds: number;
  /** "global-fetch": Node's own fetch instead of the SDK's default Node transport (for comparison). */
  transport?: "global-fetch";
};
const fetch = transport === "global-fetch" ? globalThis.fetch : undefined;
const clients = keys.map((apiKey) => createCanopyClient({ url, apiKey, batch: false, fetch }));
let orders = 0;
let failures = 0;
const cpuAtStart = process.cpuUsage();
const started = performance.now();
const until = started + seconds * 1000;
await Promise.all(
  clients.map(async (client) => {
    while (performance.now() < until) {
      try {
        await client.orders.place.mutate({ items: [{ mpn, quantity: 1 }] });
        orders++;
      } catch (error) {
        if (++failures === 1) console.error(error);
      }
    }
  }),
);
const cpu = process.cpuUsage(cpuAtStart);
console.log(
  JSON.stringify({ orders, seconds: (performance.now() - started) / 1000, failures, cpuUsPerOrder: (cpu.user + cpu.system) / orders }),
);
