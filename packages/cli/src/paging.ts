import type { Command } from "commander";
import { intOption } from "./parse";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagingOptions {
  limit?: number;
  all?: boolean;
  cursor?: string;
}

export function withPaging(command: Command): Command {
  return command
    .option("--limit <n>", "items per page (1-200)", intOption("--limit", 1, 200))
    .option("--cursor <cursor>", "continue from a previous page's nextCursor")
    .option("--all", "follow every page to the end");
}

/** One page, or with --all every page in turn. */
export async function collect<T>(
  options: PagingOptions,
  fetchPage: (cursor: string | undefined, limit: number | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  if (!options.all) return (await fetchPage(options.cursor, options.limit)).items;
  const items: T[] = [];
  let cursor = options.cursor;
  do {
    const page = await fetchPage(cursor, options.limit ?? 200);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
