import type { FastifyRequest } from "fastify";

/** Whether the request reached us over TLS: directly, or through a proxy that says so. */
export function cameOverTls(req: FastifyRequest): boolean {
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return proto ? proto === "https" : req.protocol === "https";
}

/** This host's own origin as the browser sees it (scheme and Host header). */
export function ownOrigin(req: FastifyRequest): string | null {
  const host = req.headers.host;
  return host ? `${cameOverTls(req) ? "https" : "http"}://${host.toLowerCase()}` : null;
}

/** The origin a browser says the request comes from: Origin, else the origin of Referer. */
export function claimedOrigin(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (origin && origin !== "null") return origin.toLowerCase();
  const referer = req.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).origin.toLowerCase();
  } catch {
    return null;
  }
}
