/** Median, p90, p99 and mean of latencies in milliseconds, as one line. */
export function summarize(latencies: number[], context: { orders: number; inFlight: number }): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return (
    `order placed → completed, ${context.orders} orders, ${context.inFlight} in flight: ` +
    `median ${ms(at(0.5))}, p90 ${ms(at(0.9))}, p99 ${ms(at(0.99))}, mean ${ms(mean)}, max ${ms(sorted[sorted.length - 1]!)}`
  );
}
