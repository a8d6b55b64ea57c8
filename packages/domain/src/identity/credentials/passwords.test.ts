import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";
import { hashSecret, secretMatches } from "./secrets";

describe("passwords", () => {
  it("verify only the password they were made from, with a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("correct horse battery staple", a)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", a)).toBe(false);
    expect(await verifyPassword("anything", null)).toBe(false);
  });
});

describe("secrets", () => {
  it("match their own hash only", () => {
    const hash = hashSecret("cnk_secret-value");
    expect(secretMatches("cnk_secret-value", hash)).toBe(true);
    expect(secretMatches("cnk_secret-valuf", hash)).toBe(false);
  });
});
