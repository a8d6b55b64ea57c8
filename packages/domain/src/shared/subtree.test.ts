import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { childPath, isInSubtree, pathIds, subtreeRange } from "./subtree";

const id = fc.stringMatching(/^acc_[0-9a-z]{6}$/);
const path = fc.array(id, { minLength: 1, maxLength: 5 }).map((ids) => ids.map((i) => `${i}.`).join(""));

// Byte order, as the C collation compares.
const inRange = (p: string, { from, to }: { from: string; to: string }) =>
  Buffer.compare(Buffer.from(p), Buffer.from(from)) >= 0 && Buffer.compare(Buffer.from(p), Buffer.from(to)) < 0;

describe("subtree ranges", () => {
  it("contain exactly the paths that start with the root path", () => {
    fc.assert(
      fc.property(path, path, (root, other) => {
        expect(inRange(other, subtreeRange(root))).toBe(other.startsWith(root));
        expect(inRange(root + other, subtreeRange(root))).toBe(true);
      }),
    );
  });

  it("never include a sibling whose id merely starts with the same characters", () => {
    const root = childPath("", "acc_ab");
    expect(isInSubtree(childPath("", "acc_abc"), root)).toBe(false);
    expect(inRange(childPath("", "acc_abc"), subtreeRange(root))).toBe(false);
  });

  it("lists the ids from the top down", () => {
    expect(pathIds(childPath(childPath("", "acc_a"), "acc_b"))).toEqual(["acc_a", "acc_b"]);
  });
});
