import { z } from "zod";

/** How deep free-form JSON may nest: more than any real configuration or message needs. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit` (`{"a":1}` is one
 * level). Walked with an explicit stack: a recursive walk, like JSON.stringify, would itself
 * overflow on the input this guards against.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth > limit) return true;
    for (const inner of Array.isArray(current) ? current : Object.values(current)) pending.push([inner, depth + 1]);
  }
  return false;
}

/**
 * A free-form JSON object from a caller (connector settings, a test message's data): nested
 * at most MAX_JSON_DEPTH levels, and at most `maxBytes` once serialised, so that storing,
 * signing or sending it can never fail on its shape.
 */
export function freeFormJsonObject({ maxBytes, sizeLabel }: { maxBytes: number; sizeLabel: string }) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      ctx.addIssue({ code: "custom", message: `must not be nested deeper than ${MAX_JSON_DEPTH} levels` });
    } else if (JSON.stringify(value).length > maxBytes) {
      ctx.addIssue({ code: "custom", message: `must be at most ${sizeLabel} of JSON` });
    }
  });
}
