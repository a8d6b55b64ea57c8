import { describe, expect, it } from "vitest";
import { backoffDelay, withJitter } from "./backoff";

describe("retry backoff", () => {
  it("doubles per attempt, between half and all of the ceiling, and stops at the cap", () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 60_000, low))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 60_000, high))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(30, 1000, 60_000, high)).toBe(60_000);
    expect(backoffDelay(30, 1000, 60_000, low)).toBe(30_000);
  });

  it("spreads the retries of jobs that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, 1000, 60_000)));
    expect(delays.size).toBeGreaterThan(40);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(16_000);
  });
});

describe("jitter", () => {
  it("stays within the fraction on both sides", () => {
    expect(withJitter(1000, 0.2, () => 0)).toBe(800);
    expect(withJitter(1000, 0.2, () => 0.999999)).toBe(1200);
  });
});
