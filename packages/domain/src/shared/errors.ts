/** The failure kinds the API surface knows (spec §10); transport layers map them 1:1. */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS";

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
export const unauthorized = (message = "a valid bearer token or API key is required") =>
  new DomainError("UNAUTHORIZED", message);

/** Postgres unique_violation, for turning a lost race on a unique index into a CONFLICT. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
}
