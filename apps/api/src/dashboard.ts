import { createHash } from "node:crypto";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Db } from "@canopy/db";
import { type Actor, auth, authenticatePassword } from "@canopy/domain/identity";
import { DomainError } from "@canopy/domain/shared";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { dashboardHygiene } from "./dashboard-hygiene";
import { retryThroughDomain } from "./dashboard-retries";
import type { QueueHandles } from "./queues";

export const DASHBOARD_PATH = "/admin/queues";
const REALM = 'Basic realm="Canopy queue dashboard", charset="UTF-8"';

/**
 * The queue dashboard (bull-board) for provider admins: every queue of the queue map, with
 * retry, promote and clean. A browser gets an HTTP Basic prompt (a provider admin's email and
 * password, or the provider's API key as the password); automation may send the API key as
 * `Authorization: Bearer …`. Job data and results are shown with secrets redacted.
 */
export async function registerDashboard(app: FastifyInstance, { db, queues }: { db: Db; queues: QueueHandles }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [...queues.queues.values()].map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: false, allowRetries: true });
      adapter.setFormatter("data", redactSecrets);
      adapter.setFormatter("returnValue", redactSecrets);
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Canopy queues", hideDocsLink: true } },
  });
  const passwords = new VerifiedPasswords();
  await app.register(async (scope) => {
    scope.addHook("onRequest", async (req, reply) => {
      let actor: Actor | undefined;
      try {
        actor = await dashboardActor(db, req.headers.authorization, req.ip, passwords);
      } catch (error) {
        if (error instanceof DomainError && error.code === "TOO_MANY_REQUESTS") return refuse(reply, 429, error.message);
        throw error;
      }
      if (!actor) return refuse(reply, 401, "provider admin credentials required");
      if (actor.accountType !== "provider" || actor.role !== "admin") return refuse(reply, 403, "for provider admins only");
      if (editsJobData(req)) return refuse(reply, 403, "jobs are added and changed by Canopy itself, not from the dashboard");
      // The retry records the operator and this request on the events it writes (a copy: the actor is cached).
      const operator = { ...actor, requestId: req.id };
      if (await retryThroughDomain(req, reply, { db, queues, actor: operator, basePath: DASHBOARD_PATH })) return reply;
    });
    scope.addHook("onSend", dashboardHygiene);
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
}

function refuse(reply: FastifyReply, status: 401 | 403 | 429, message: string) {
  if (status === 401) reply.header("www-authenticate", REALM);
  return reply.code(status).type("text/plain; charset=utf-8").send(message);
}

/** The dashboard's routes (bull-board's patterns, under DASHBOARD_PATH) that stay closed. */
const CLOSED_ROUTES = new Set(["POST /api/queues/:queueName/add", "PATCH /api/queues/:queueName/:jobId/update-data"]);

/**
 * Adding a job by hand would bypass the outbox, and the data editor starts from the redacted
 * view, so saving it would overwrite real secrets with the mask. Both stay closed. The test is
 * on the route Fastify matched, not on the URL as sent: the router decodes the path before
 * matching (`/%61dd` is `/add`), so any spelling that reaches a closed route is caught.
 */
function editsJobData(req: FastifyRequest): boolean {
  const route = req.routeOptions.url;
  if (!route?.startsWith(DASHBOARD_PATH)) return false;
  return CLOSED_ROUTES.has(`${req.method} ${route.slice(DASHBOARD_PATH.length)}`);
}

async function dashboardActor(
  db: Db,
  header: string | undefined,
  clientAddress: string,
  passwords: VerifiedPasswords,
): Promise<Actor | undefined> {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer) return auth.authenticate(db, bearer);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // The password field may carry an API key (any user name); else it is a user's password.
  const byKey = await auth.authenticate(db, password);
  if (byKey || !user.includes("@")) return byKey;
  return passwords.verify(header, () => authenticatePassword(db, user, password, { clientAddress }));
}

/**
 * A browser repeats the Basic header on every request and the dashboard polls; scrypt on each
 * would cost a core. A verified header is trusted for a minute (a changed password or a
 * disabled user takes effect within that minute); failures are never remembered.
 */
class VerifiedPasswords {
  private readonly verified = new Map<string, { actor: Actor; until: number }>();
  private static readonly TTL_MS = 60_000;

  async verify(header: string, check: () => Promise<Actor | undefined>): Promise<Actor | undefined> {
    const key = createHash("sha256").update(header).digest("base64url");
    const hit = this.verified.get(key);
    if (hit && hit.until > Date.now()) return hit.actor;
    const actor = await check();
    if (this.verified.size > 1000) this.verified.clear();
    if (actor) this.verified.set(key, { actor, until: Date.now() + VerifiedPasswords.TTL_MS });
    else this.verified.delete(key);
    return actor;
  }
}

const SECRET_KEY = /secret|password|passwd|token|api[-_]?key|authorization|signature|credential|private[-_]?key/i;

/** A copy of `value` with every field whose name suggests a secret replaced by a mask. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(inner),
      ]),
    );
  }
  return value;
}
