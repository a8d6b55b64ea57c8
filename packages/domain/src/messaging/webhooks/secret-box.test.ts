import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal } from "./secret-box";
import { sealingKeyFrom } from "./settings";

describe("sealed endpoint secrets", () => {
  const key = sealingKeyFrom("a".repeat(40), { production: true });

  it("round-trips, never stores the plain text, and differs on every seal", () => {
    const sealed = seal(key, "whsec_abc", "whe_1");
    expect(sealed).not.toContain("whsec_abc");
    expect(seal(key, "whsec_abc", "whe_1")).not.toBe(sealed);
    expect(open(key, sealed, "whe_1")).toBe("whsec_abc");
  });

  it("does not open with another key or on another endpoint's row", () => {
    const sealed = seal(key, "whsec_abc", "whe_1");
    expect(() => open(randomBytes(32), sealed, "whe_1")).toThrow();
    expect(() => open(key, sealed, "whe_2")).toThrow();
  });

  it("requires CANOPY_SECRET_KEY in production and derives a development key otherwise", () => {
    expect(() => sealingKeyFrom(undefined, { production: true })).toThrow(/CANOPY_SECRET_KEY/);
    expect(() => sealingKeyFrom("short", { production: false })).toThrow(/32/);
    expect(sealingKeyFrom(undefined, { production: false })).toHaveLength(32);
  });
});
