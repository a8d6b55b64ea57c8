import type { AnyRouter, inferRouterContext } from "@trpc/server";
import { fastifyRequestHandler } from "@trpc/server/adapters/fastify";
import { type HTTPErrorHandler, resolveResponse } from "@trpc/server/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface TrpcHttpOptions<TRouter extends AnyRouter> {
  router: TRouter;
  createContext: (opts: { req: FastifyRequest }) => Promise<inferRouterContext<TRouter>>;
  onError?: HTTPErrorHandler<TRouter, FastifyRequest>;
}

// Never aborted: a buffered query or mutation runs to its end even when the caller hangs up
// (a mutation stopped half-way helps nobody; its transaction decides what happened).
const notAborted = new AbortController().signal;

/**
 * tRPC over HTTP on Fastify, buffered. tRPC's own `resolveResponse` decides everything a
 * caller can observe (GET for queries, POST for mutations, `?batch=1`, the error shape and
 * formatter, HTTP status codes, 400 on bad JSON, 404 on unknown procedures, 405 on a wrong
 * method); only the two ends differ from `fastifyTRPCPlugin`. That adapter turns each
 * request into a Fetch `Request` with a web-stream body and an AbortSignal tied to the socket,
 * and pipes the `Response` back through web streams: per request that cost several times what
 * the procedure does. Here the body Fastify already read is handed over as a string and the
 * answer is written as one buffer. Requests that want a stream (httpBatchStreamLink's JSONL,
 * SSE subscriptions) or carry a non-JSON body go to tRPC's stock Fastify handler unchanged.
 */
export function trpcHttp<TRouter extends AnyRouter>(app: FastifyInstance, opts: TrpcHttpOptions<TRouter>): void {
  // The body reaches tRPC as the client sent it, so malformed JSON is tRPC's PARSE_ERROR (400).
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser("multipart/form-data");
  app.addContentTypeParser("multipart/form-data", {}, (_req, body, done) => done(null, body));

  app.all<{ Params: { path: string } }>("/:path", async (req, reply) => {
    const path = req.params.path;
    if (wantsStream(req) || !isJsonOrEmpty(req)) {
      return fastifyRequestHandler({
        router: opts.router,
        createContext: ({ req }) => opts.createContext({ req }),
        onError: opts.onError,
        req,
        res: reply,
        path,
      });
    }
    const response = await resolveResponse({
      router: opts.router,
      req: asFetchRequest(req),
      path,
      error: null,
      createContext: () => opts.createContext({ req }),
      onError: opts.onError ? (o) => opts.onError!({ ...o, req }) : undefined,
    });
    return send(reply, response);
  });
}

function wantsStream(req: FastifyRequest): boolean {
  const { accept } = req.headers;
  return req.headers["trpc-accept"] !== undefined || (accept !== undefined && accept.includes("text/event-stream"));
}

function isJsonOrEmpty(req: FastifyRequest): boolean {
  const type = req.headers["content-type"];
  return type === undefined ? req.body === undefined : type.toLowerCase().startsWith("application/json");
}

/**
 * The part of a Fetch `Request` that resolveResponse reads for a JSON call: URL, method,
 * headers, signal and the body as text. Building a real Request (a Headers copy, a body
 * stream) is exactly the cost this path avoids.
 */
function asFetchRequest(req: FastifyRequest): Request {
  const raw = req.headers;
  const body = typeof req.body === "string" ? req.body : "";
  const headers = {
    get: (name: string) => {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    has: (name: string) => raw[name.toLowerCase()] !== undefined,
  };
  return {
    // Only the path and query matter to tRPC; the Host header is the caller's to garble.
    url: `http://localhost${req.url}`,
    method: req.method,
    headers,
    signal: notAborted,
    text: async () => body,
    json: async () => JSON.parse(body),
  } as unknown as Request;
}

async function send(reply: FastifyReply, response: Response) {
  reply.code(response.status);
  response.headers.forEach((value, key) => {
    reply.header(key, value);
  });
  return reply.send(response.body ? await response.text() : undefined);
}
