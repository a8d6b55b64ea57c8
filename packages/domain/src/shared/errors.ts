import { isConnectionError } from "@canopy/db";

/** The failure kinds the API surface knows (docs/api.md); transport layers map them 1:1. */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string) => new DomainError("CONFLICT", message);
export const forbidden = (message: string) => new DomainError("FORBIDDEN", message);
export const preconditionFailed = (message: string) => new DomainError("PRECONDITION_FAILED", message);
export const badRequest = (message: string) => new DomainError("BAD_REQUEST", message);
export const unauthorized = (message = "a valid bearer token or API key is required") => new DomainError("UNAUTHORIZED", message);

/** The database cannot be reached for now (a restart, a failover): the caller may try again shortly. */
export const serviceUnavailable = () => new DomainError("SERVICE_UNAVAILABLE", "the service is temporarily unavailable; try again shortly");

/** Postgres unique_violation, for turning a lost race on a unique index into a CONFLICT. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
}

/**
 * A database error caused by the data of a request that passed validation (a NUL byte in text,
 * a number beyond a column's range) is the caller's bad input, not a server failure; a unique
 * violation that no service translated is still a conflict; a lost or refused connection (a
 * Postgres restart) is a retryable unavailability. Anything else stays unexpected.
 */
export function fromDatabaseError(error: unknown): DomainError | undefined {
  if (isConnectionError(error)) return serviceUnavailable();
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || code.length !== 5) return undefined;
  if (code.startsWith("22")) return badRequest("a value in the request is malformed or out of range");
  if (code === "23505") return conflict("the resource already exists");
  return undefined;
}
