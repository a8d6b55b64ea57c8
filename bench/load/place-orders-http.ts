// Load generator for benchmark 7, in its own process: `keys.length` loops placing orders with
// plain fetch for `seconds`, through REST (POST /api/v1/orders) or tRPC (POST /trpc/orders.place),
// the same JSON either way, so the two differ only in the server's front door.
// Prints {"orders": n, "seconds": s, "failures": f} on stdout.
const { url, keys, mpn, seconds, via } = JSON.parse(process.argv[2]!) as {
  url: string;
  keys: string[];
  mpn: string;
  seconds: number;
  via: "rest" | "trpc";
};
const target = via === "rest" ? `${url}/api/v1/orders` : `${url}/trpc/orders.place`;
const body = JSON.stringify({ items: [{ mpn, quantity: 1 }] });
let orders = 0;
let failures = 0;
const started = performance.now();
const until = started + seconds * 1000;
await Promise.all(
  keys.map(async (key) => {
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    while (performance.now() < until) {
      const response = await fetch(target, { method: "POST", headers, body });
      await response.arrayBuffer();
      if (response.ok) orders++;
      else if (++failures === 1) console.error(response.status, await response.text().catch(() => ""));
    }
  }),
);
console.log(JSON.stringify({ orders, seconds: (performance.now() - started) / 1000, failures }));
