import { z } from "zod";

export const listInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});
export type ListInput = z.infer<typeof listInput>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The output schema of a page of `item`s: pass `nextCursor` back as `cursor` for the next page. */
export const pageOutput = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Instants on the wire: ISO 8601 in UTC. */
export const timestamp = z.string().meta({ format: "date-time", example: "2026-11-30T12:00:00.000Z" });

// Cursors are opaque to clients: the sort key of the last item, base64url-encoded.
export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, "base64url").toString("utf8");
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether more exist. */
export function pageOf<R, T>(rows: R[], limit: number, key: (row: R) => string, toItem: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(toItem), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
