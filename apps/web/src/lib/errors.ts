import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null;
  fieldErrors?: Record<string, string[] | undefined>;
}

function dataOf(error: unknown): ErrorData | undefined {
  if (error instanceof TRPCClientError) return error.data as ErrorData | undefined;
  if (error instanceof SessionError) return { code: error.code, httpStatus: error.status };
  return undefined;
}

/** An error of the panel's own calls to /session, shaped like a tRPC one. */
export class SessionError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const errorCode = (error: unknown): string | undefined => dataOf(error)?.code;
export const isUnauthorized = (error: unknown) => errorCode(error) === "UNAUTHORIZED";
export const isConflict = (error: unknown) => errorCode(error) === "CONFLICT";
export const isNotFound = (error: unknown) => errorCode(error) === "NOT_FOUND";

/** What to tell a person: the API's messages are written for people; network failures are not. */
export function errorMessage(error: unknown): string {
  if (error instanceof TypeError) return "Canopy could not be reached. Check your connection and try again.";
  const code = errorCode(error);
  if (code === "NOT_FOUND") return "Not found, or not within your reach.";
  if (code === "INTERNAL_SERVER_ERROR") return "Something went wrong on our side. Try again in a moment.";
  if (error instanceof Error && error.message) return capitalise(error.message);
  return "Something went wrong.";
}

/**
 * The per-field reasons of a BAD_REQUEST as a map from dotted paths ("contact.email") to one
 * message, for the form fields of the same names. `prefix` maps form fields onto a nested input.
 */
export function fieldErrorsOf(error: unknown, rename: Record<string, string> = {}): Record<string, string> {
  const data = dataOf(error);
  const fields = data?.fieldErrors ?? data?.zodError?.fieldErrors ?? {};
  const out: Record<string, string> = {};
  for (const [path, messages] of Object.entries(fields)) {
    if (messages?.[0]) out[rename[path] ?? path] = capitalise(messages[0]);
  }
  return out;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
