import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, parseRetryAfter, retryDelayMs } from "./retry-schedule";

describe("the retry schedule", () => {
  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 8 attempts in all", () => {
    const middle = () => 0.5;
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, 1, middle));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(retryDelayMs(8, 1)).toBeNull();
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it("jitters by up to a fifth either way, and scales for tests", () => {
    expect(retryDelayMs(1, 1, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, 1, () => 1)).toBe(6_000);
    expect(retryDelayMs(2, 0.001, () => 0.5)).toBe(300);
  });

  it("reads Retry-After as seconds or as a date, within a day", () => {
    const now = new Date("2026-11-27T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 10:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("999999", now)).toBe(24 * 3_600_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
