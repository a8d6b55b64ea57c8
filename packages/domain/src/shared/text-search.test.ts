import { describe, expect, it } from "vitest";
import { likePattern, searchWords } from "./text-search";

describe("searchWords and likePattern", () => {
  it("give the distinct lower-cased words, longest first, and their patterns with wildcards taken literally", () => {
    expect(searchWords("  Vault  PREMIUM vault ")).toEqual(["premium", "vault"]);
    expect(searchWords("50%_off\\").map(likePattern)).toEqual(["%50\\%\\_off\\\\%"]);
    expect(searchWords("KAS-9D5E").map(likePattern)).toEqual(["%kas-9d5e%"]);
  });
});
