import { describe, expect, it } from "vitest";
import { searchPatterns } from "./text-search";

describe("searchPatterns", () => {
  it("gives one lower-cased pattern per distinct word, wildcards taken literally", () => {
    expect(searchPatterns("  Vault  PREMIUM vault ")).toEqual(["%premium%", "%vault%"]);
    expect(searchPatterns("50%_off\\")).toEqual(["%50\\%\\_off\\\\%"]);
    expect(searchPatterns("KAS-9D5E")).toEqual(["%kas-9d5e%"]);
  });
});
