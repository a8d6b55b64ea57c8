import type { z } from "zod";

type Def = { type: string; innerType?: Def; in?: Def; element?: Def; shape?: Record<string, Def>; _zod?: { def: Def } };

/** The schema under optional/default/prefault/nullable/pipe wrappers. */
function unwrap(schema: unknown): Def | undefined {
  let def = (schema as { _zod?: { def: Def } } | undefined)?._zod?.def;
  while (def && (def.innerType || (def.type === "pipe" && def.in))) def = (def.innerType ?? def.in)!._zod?.def ?? def.innerType ?? def.in;
  return def;
}

/**
 * Query parameters are strings: turns `limit=20` into 20, `enabled=true` into true and a repeated
 * or comma-separated array parameter into an array, as the input schema says; anything else is
 * left for the schema to refuse with a readable message.
 */
export function coerceQuery(parser: unknown, query: Record<string, string | string[]>): Record<string, unknown> | undefined {
  const entries = Object.entries(query ?? {});
  if (entries.length === 0) return undefined;
  const shape = (unwrap(parser) as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, raw] of entries) {
    const def = unwrap(shape[key]);
    const one = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
    if (def?.type === "number") out[key] = /^-?\d+(\.\d+)?$/.test(one) ? Number(one) : one;
    else if (def?.type === "boolean") out[key] = one === "true" ? true : one === "false" ? false : one;
    else if (def?.type === "array") out[key] = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(",")).filter(Boolean);
    else out[key] = one;
  }
  return out;
}
