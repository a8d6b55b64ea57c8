import { SESSION_COOKIE, sessionCookie } from "@canopy/api";
import type { Db } from "@canopy/db";
import { auth, loginInput } from "@canopy/domain/identity";
import { DomainError } from "@canopy/domain/shared";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { cameOverTls } from "./origin";

const STATUS: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429 };

function cookie(req: FastifyRequest, value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (secure || cameOverTls(req)) parts.push("Secure");
  return parts.join("; ");
}

function refuse(reply: FastifyReply, error: unknown) {
  if (error instanceof DomainError && STATUS[error.code])
    return reply.code(STATUS[error.code]!).send({ code: error.code, message: error.message });
  throw error;
}

/**
 * The user panel's sign-in and sign-out: the domain's login and logout, with the session token
 * kept in an httpOnly cookie instead of handed to page scripts. Host routes rather than tRPC
 * procedures because only the transport can set and clear a cookie; the rules (password check,
 * throttle, expiry) are the domain's, the same as `auth.login` over tRPC.
 */
export function registerSessionRoutes(app: FastifyInstance, { db, secureCookie = false }: { db: Db; secureCookie?: boolean }): void {
  app.post("/session", async (req, reply) => {
    const parsed = loginInput.safeParse(req.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send({ code: "BAD_REQUEST", message: "enter an email and a password", fieldErrors: z.flattenError(parsed.error).fieldErrors });
    }
    try {
      const session = await auth.login(db, parsed.data, { clientAddress: req.ip });
      const seconds = (Date.parse(session.expiresAt) - Date.now()) / 1000;
      reply.header("set-cookie", cookie(req, session.token, seconds, secureCookie)).header("cache-control", "no-store");
      return { user: session.user, expiresAt: session.expiresAt };
    } catch (error) {
      return refuse(reply, error);
    }
  });

  app.delete("/session", async (req, reply) => {
    const token = sessionCookie(req.headers.cookie);
    if (token) await auth.logout(db, token);
    reply.header("set-cookie", cookie(req, "", 0, secureCookie)).header("cache-control", "no-store");
    return { ok: true };
  });
}
