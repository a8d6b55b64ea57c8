import type { AnyProcedure, AnyRouter, inferRouterContext } from "@trpc/server";
import { getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import type { HTTPErrorHandler } from "@trpc/server/http";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { coerceQuery } from "./query-coercion";
import { restError, sendFastifyError } from "./rest-errors";

export interface RestApiOptions<TRouter extends AnyRouter> {
  router: TRouter;
  createContext: (opts: { req: FastifyRequest }) => Promise<inferRouterContext<TRouter>>;
  onError?: HTTPErrorHandler<TRouter, FastifyRequest>;
}

/** The part of trpc-to-openapi's `meta.openapi` this transport reads. */
interface Openapi {
  enabled?: boolean;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  requestHeaders?: { shape: Record<string, unknown> };
}

/**
 * The REST face of the API: one Fastify route per procedure that declares `meta.openapi`, calling
 * the same procedure (its input parser, middlewares, domain function and output schema) that
 * /trpc calls. Only the envelope differs: path and query parameters and a JSON body in, the
 * result as the body out, errors as `{code, message, fieldErrors, requestId}`.
 */
export function restApi<TRouter extends AnyRouter>(app: FastifyInstance, opts: RestApiOptions<TRouter>): void {
  const { router } = opts;
  // Any body is read as JSON whatever its content type (curl -d sends form encoding): a caller
  // gets the API's 400 for a body that is not JSON, never Fastify's 415 in another shape.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new TRPCError({ code: "BAD_REQUEST", message: "the body must be JSON" }), undefined);
    }
  });
  app.setErrorHandler((error, request, reply) => sendFastifyError(router, reply, request, error));
  app.setNotFoundHandler((request, reply) =>
    sendFastifyError(
      router,
      reply,
      request,
      new TRPCError({ code: "NOT_FOUND", message: `no such route: ${request.method} ${request.url.split("?")[0]}` }),
    ),
  );

  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  for (const [path, procedure] of Object.entries(procedures)) {
    const openapi = (procedure._def.meta as { openapi?: Openapi } | undefined)?.openapi;
    if (!openapi || openapi.enabled === false) continue;
    const takesBody = openapi.method !== "GET" && openapi.method !== "DELETE";
    const takesIdempotencyKey = openapi.requestHeaders?.shape["Idempotency-Key"] !== undefined;
    const parser = procedure._def.inputs[0];
    app.route({
      method: openapi.method,
      url: openapi.path.replace(/\{(\w+)\}/g, ":$1"),
      handler: async (request, reply) => {
        const params = request.params as Record<string, string>;
        const fromClient = takesBody ? request.body : coerceQuery(parser, request.query as Record<string, string | string[]>);
        if (fromClient !== undefined && (typeof fromClient !== "object" || fromClient === null || Array.isArray(fromClient))) {
          const { status, body } = restError(
            router,
            new TRPCError({ code: "BAD_REQUEST", message: "the body must be a JSON object" }),
            request,
            path,
          );
          return reply.code(status).send(body);
        }
        const input: Record<string, unknown> = { ...(fromClient as object | undefined), ...params };
        const key = takesIdempotencyKey ? request.headers["idempotency-key"] : undefined;
        if (typeof key === "string") {
          if (input.idempotencyKey !== undefined && input.idempotencyKey !== key) {
            const problem = new TRPCError({ code: "BAD_REQUEST", message: "idempotencyKey: differs from the Idempotency-Key header" });
            const { status, body } = restError(router, problem, request, path);
            return reply.code(status).send(body);
          }
          input.idempotencyKey = key;
        }
        let ctx: inferRouterContext<TRouter> | undefined;
        try {
          ctx = await opts.createContext({ req: request });
          const data = await procedure({
            path,
            getRawInput: async () => (Object.keys(input).length === 0 && !takesBody ? undefined : input),
            ctx,
            type: procedure._def.type,
            signal: undefined,
            batchIndex: 0,
          });
          return reply.header("content-type", "application/json").send(JSON.stringify(data));
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          opts.onError?.({ error, path, input, ctx, type: procedure._def.type, req: request });
          const { status, body } = restError(router, error, request, path);
          return reply.code(status).send(body);
        }
      },
    });
  }
}
