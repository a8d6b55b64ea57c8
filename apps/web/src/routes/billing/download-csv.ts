import { trpcClient } from "../../trpc";

/**
 * A statement's rated lines as one CSV: the export is paged, so every page after the first
 * drops its header row (each page repeats it) before being appended.
 */
export async function statementCsv(statementId: string): Promise<string> {
  let csv = "";
  let cursor: string | undefined;
  do {
    const page = await trpcClient.billing.lines.export.query({ statementId, format: "csv", limit: 5000, cursor });
    const text = page.csv ?? "";
    csv += csv === "" ? text : text.slice(text.indexOf("\n") + 1);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return csv;
}

/** Hands text to the browser as a downloaded file. */
export function saveText(text: string, fileName: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
