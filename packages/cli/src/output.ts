// What commands print: JSON with --json (for scripts), an aligned table on a terminal, and
// tab-separated columns when piped (one line per row, like `gh`).

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && "amount" in value && "currency" in value) {
    const money = value as { amount: number; currency: string };
    return `${(money.amount / 100).toFixed(2)} ${money.currency}`;
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The "Examples:" block of a command's help. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable<T>(rows: T[], columns: Column<T>[]): void {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  if (!process.stdout.isTTY) {
    for (const line of cells) process.stdout.write(`${line.join("\t")}\n`);
    return;
  }
  if (!rows.length) {
    process.stderr.write("No results\n");
    return;
  }
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((line) => line[i]!.length)));
  const format = (line: string[]) =>
    line
      .map((text, i) => text.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${format(columns.map((c) => c.header.toUpperCase()))}\n`);
  for (const line of cells) process.stdout.write(`${format(line)}\n`);
}

/** One resource as `field: value` lines (nested objects as JSON), or JSON with --json. */
export function printRecord(record: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  for (const [key, value] of Object.entries(record)) process.stdout.write(`${`${key}:`.padEnd(width + 2)}${cell(value)}\n`);
}

/** A confirmation for people; scripts get silence (exit code 0 says it worked). */
export function notice(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${message}\n`);
}
