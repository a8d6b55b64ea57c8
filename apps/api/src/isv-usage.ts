import { domainTrpcError } from "@canopy/api";
import type { Db } from "@canopy/db";
import { reportSignedUsage } from "@canopy/domain/billing";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "@canopy/domain/commerce";
import type { AnyRouter } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance } from "fastify";
import { ZodError } from "zod";
import { restError } from "./rest/rest-errors";

/** Where an ISV application reports usage through its http connector (docs/billing.md). */
export const ISV_USAGE_PATH = "/connectors/http/usage";

/**
 * `POST /connectors/http/usage`: usage reported by the ISV application itself, signed with its
 * product's shared secret instead of an API key. The raw body is kept as received, since the
 * signature covers those bytes. Answers 201 with the usage record (200 for a repeat of a key),
 * or the REST API's one error shape.
 */
export async function registerIsvUsage(
  app: FastifyInstance,
  opts: { db: Db; router: AnyRouter; httpSecrets: Readonly<Record<string, string>> },
) {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
    scope.post(ISV_USAGE_PATH, async (request, reply) => {
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === "string" ? value : undefined;
      };
      try {
        const record = await reportSignedUsage(opts.db, opts.httpSecrets, {
          body: typeof request.body === "string" ? request.body : "",
          timestamp: header(TIMESTAMP_HEADER),
          signature: header(SIGNATURE_HEADER),
        });
        return reply.code(record.duplicate ? 200 : 201).send(record);
      } catch (cause) {
        const error = asTrpcError(cause);
        if (error.code === "INTERNAL_SERVER_ERROR") request.log.error({ err: cause }, "usage callback failed");
        const { status, body } = restError(opts.router, error, request);
        return reply.code(status).send(body);
      }
    });
  });
}

/** The failure in tRPC's terms, as a procedure's would be (readable field errors, 503 while the database is away). */
function asTrpcError(cause: unknown): TRPCError {
  if (cause instanceof ZodError) return new TRPCError({ code: "BAD_REQUEST", cause });
  return domainTrpcError(cause) ?? new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause });
}
