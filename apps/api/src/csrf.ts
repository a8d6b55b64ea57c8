import { sessionCookie } from "@canopy/api";
import type { FastifyInstance } from "fastify";
import { claimedOrigin, ownOrigin } from "./origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery: a browser attaches the panel's session cookie to requests another
 * site makes it send. Every state-changing request that authenticates by that cookie (no
 * Authorization header) — and the sign-in route itself — must say it comes from this very
 * origin (Origin, or Referer), or it is refused before anything runs. API clients with a
 * Bearer header are not concerned: no browser adds that header on another site's behalf.
 */
export function registerCsrfCheck(app: FastifyInstance): void {
  app.addHook("onRequest", async (req, reply) => {
    if (SAFE_METHODS.has(req.method)) return;
    const byCookie = req.headers.authorization === undefined && sessionCookie(req.headers.cookie) !== null;
    const signingIn = req.url === "/session" || req.url.startsWith("/session?");
    if (!byCookie && !signingIn) return;
    const claimed = claimedOrigin(req);
    if (claimed !== null && claimed === ownOrigin(req)) return;
    return reply.code(403).send({
      code: "FORBIDDEN",
      message: claimed === null ? "a request signed in by cookie must carry an Origin header" : `requests from ${claimed} are refused`,
    });
  });
}
