import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { satisfiesRange } from "../lib/node-range";

const root = new URL("../../", import.meta.url);
const engines = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } }).engines;

// CI runs the suite once per supported Node and says which one through CANOPY_NODE_MAJOR: if a
// runner's PATH let the tests fall back to another Node, this fails instead of passing quietly.
describe("the Node the tests run on", () => {
  const asked = process.env.CANOPY_NODE_MAJOR;
  it(`is admitted by package.json's engines and is the major CI asked for (${process.version}; engines ${engines.node}; asked ${asked ?? "none"})`, () => {
    expect(satisfiesRange(process.versions.node, engines.node)).toBe(true);
    if (asked !== undefined) expect(process.versions.node.split(".")[0]).toBe(asked);
  });
});

describe("satisfiesRange", () => {
  it("reads the forms engines use: ^, >=, ||", () => {
    const range = "^20.19.0 || >=22.12.0";
    expect(satisfiesRange("20.19.0", range)).toBe(true);
    expect(satisfiesRange("20.20.2", range)).toBe(true);
    expect(satisfiesRange("20.18.3", range)).toBe(false);
    expect(satisfiesRange("21.7.3", range)).toBe(false);
    expect(satisfiesRange("22.11.0", range)).toBe(false);
    expect(satisfiesRange("22.12.0", range)).toBe(true);
    expect(satisfiesRange("24.21.0", range)).toBe(true);
    expect(() => satisfiesRange("24.0.0", "~24")).toThrow(/~24/);
  });
});
