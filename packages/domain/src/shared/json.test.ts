import { describe, expect, it } from "vitest";
import { freeFormJsonObject, nestsDeeperThan } from "./json";

const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

describe("free-form JSON", () => {
  it("measures depth without recursion, even far beyond the stack", () => {
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
    expect(nestsDeeperThan(nested(200_000), 32)).toBe(true);
    expect(nestsDeeperThan("plain", 0)).toBe(false);
  });

  it("refuses objects too deep or too large with a clear message", () => {
    const schema = freeFormJsonObject({ maxBytes: 64, sizeLabel: "64 bytes" });
    expect(schema.safeParse({ ok: true }).success).toBe(true);
    expect(schema.safeParse(nested(50)).error?.issues[0]?.message).toBe("must not be nested deeper than 32 levels");
    expect(schema.safeParse({ blob: "x".repeat(100) }).error?.issues[0]?.message).toBe("must be at most 64 bytes of JSON");
  });
});
