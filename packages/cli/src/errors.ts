import { TRPCClientError } from "@trpc/client";

/** Wrong use of the command line: exit code 2, like a usage error from the parser. */
export class UsageError extends Error {}

/** A failure to report in one line on stderr with exit code 1 (the API said no, the order failed, …). */
export class CliError extends Error {}

/** The one-line message for a failed API call: `NOT_FOUND: order not found`, with field errors if any. */
export function describeApiError(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as
    | { code?: string; zodError?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] } | null }
    | undefined;
  if (!data?.code) return `cannot reach the API: ${error.message}`;
  const fields = Object.entries(data.zodError?.fieldErrors ?? {}).map(([field, reasons]) => `${field}: ${reasons.join(", ")}`);
  const detail = [...(data.zodError?.formErrors ?? []), ...fields];
  return `${data.code}: ${error.message}${detail.length && !error.message.includes(detail[0]!) ? ` (${detail.join("; ")})` : ""}`;
}
