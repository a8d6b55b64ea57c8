import { type Expression, type RawBuilder, sql } from "@canopy/db";

/**
 * Account paths look like "acc_a.acc_b." (every id followed by a dot) in the C collation. The
 * subtree of a path is every path that starts with it, which in C order is the half-open range
 * [path, path with its final "." replaced by "/"): "/" is the byte right after ".". Expressed
 * as a range, the btree index serves the filter and the ordering directly.
 */
export function subtreeRange(path: string): { from: string; to: string } {
  return { from: path, to: `${path.slice(0, -1)}/` };
}

export function isInSubtree(path: string, root: string): boolean {
  return path.startsWith(root);
}

export function childPath(parentPath: string, id: string): string {
  return `${parentPath}${id}.`;
}

/** The ids of every account from the root down to the account itself. */
export function pathIds(path: string): string[] {
  return path.split(".").filter(Boolean);
}

/**
 * `pathIds` in SQL, for joining an account path to the accounts on it (or to what they own):
 * `<id column> = any(accountIdsOnPath(sql.ref("e.account_path")))`. The ids come out in the
 * default collation: split out of a C-collated path, they would not match a primary key's (or
 * any id index's) collation, and the planner would scan the whole table for each path.
 */
export function accountIdsOnPath(path: Expression<string>): RawBuilder<string[]> {
  return sql<string[]>`string_to_array(rtrim(${path} collate "default", '.'), '.')`;
}
