import type { Socket } from "node:net";
import {
  type AnyRouter,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type inferRouterContext,
  TRPCError,
  transformTRPCResponse,
} from "@trpc/server";
import { fastifyRequestHandler } from "@trpc/server/adapters/fastify";
import { getHTTPStatusCode, type HTTPErrorHandler, type TRPCRequestInfo } from "@trpc/server/http";
import {
  defaultTransformer,
  getRequestInfo,
  isAsyncIterable,
  isObject,
  isPromise,
  urlPathToProcedurePath,
} from "@trpc/server/unstable-core-do-not-import";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface TrpcHttpOptions<TRouter extends AnyRouter> {
  router: TRouter;
  /** The most calls a batch may carry; larger ones are refused with 400 before any runs. */
  maxBatchCalls?: number;
  createContext: (opts: { req: FastifyRequest }) => Promise<inferRouterContext<TRouter>>;
  onError?: HTTPErrorHandler<TRouter, FastifyRequest>;
  /** Where the sockets of open streams (SSE subscriptions) are kept, so that closing the server can end them. */
  streams?: Set<Socket>;
}

type ProcedureType = "query" | "mutation" | "subscription";
const ACCEPTED_METHODS: Record<ProcedureType, string> = { query: "GET", mutation: "POST", subscription: "GET" };

/**
 * tRPC over HTTP on Fastify, answered as one buffered JSON body.
 *
 * `fastifyTRPCPlugin` turns each request into a Fetch `Request` (a Headers copy, a web-stream
 * body, an AbortSignal tied to the socket), runs `resolveResponse` (more AbortSignals, a
 * `Response`) and pipes that back through web streams: per request that costs several times
 * what a small procedure does. For the calls that make up nearly all traffic — JSON queries
 * and mutations, batched or not — this does what `resolveResponse` does with tRPC's own
 * building blocks (`getRequestInfo` parses paths, inputs and batches; the procedures run
 * through their middlewares; `getErrorShape` applies the error formatter;
 * `getHTTPStatusCode` picks the status, 207 for a mixed batch) and writes one string. The
 * observable behaviour is tRPC's: GET for queries and POST for mutations (405 with `Allow`
 * otherwise), `?batch=1`, 400 on malformed JSON, 404 on unknown procedures, the error shape.
 * What this path does not do is handed to the stock adapter unchanged: streaming
 * (httpBatchStreamLink's JSONL, SSE subscriptions) and non-JSON bodies (FormData, octet).
 * Not supported here, and not used by this API: `responseMeta`, method override.
 */
export function trpcHttp<TRouter extends AnyRouter>(app: FastifyInstance, opts: TrpcHttpOptions<TRouter>): void {
  // The body reaches tRPC as the client sent it, so malformed JSON is tRPC's own 400.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser("multipart/form-data");
  app.addContentTypeParser("multipart/form-data", {}, (_req, body, done) => done(null, body));

  const stock = (req: FastifyRequest, reply: FastifyReply, path: string) =>
    fastifyRequestHandler({
      router: opts.router,
      createContext: ({ req }) => opts.createContext({ req }),
      onError: opts.onError,
      maxBatchSize: opts.maxBatchCalls,
      req,
      res: reply,
      path,
    });

  app.all<{ Params: { path: string } }>("/:path", async (req, reply) => {
    const { path } = req.params;
    if (wantsStream(req)) {
      const socket = req.raw.socket;
      opts.streams?.add(socket);
      socket.once("close", () => opts.streams?.delete(socket));
      return stock(req, reply, path);
    }
    if (!isJsonOrEmpty(req)) return stock(req, reply, path);
    if (req.method === "HEAD") return reply.code(204).send();
    const answer = await resolveBuffered(opts, req, path);
    if (answer === "stock") return stock(req, reply, path);
    reply.code(answer.status).header("vary", "trpc-accept, accept").header("content-type", "application/json");
    if (answer.allow) reply.header("allow", answer.allow);
    return reply.send(answer.body);
  });
}

async function resolveBuffered<TRouter extends AnyRouter>(
  opts: TrpcHttpOptions<TRouter>,
  req: FastifyRequest,
  urlPath: string,
): Promise<{ status: number; body: string; allow?: string } | "stock"> {
  const config = opts.router._def._config;
  type Ctx = inferRouterContext<TRouter>;
  let info: TRPCRequestInfo | undefined;
  let ctx: Ctx | undefined;
  try {
    const searchParams = new URLSearchParams(queryAt(req.url));
    const callCount = searchParams.get("batch") === "1" ? urlPath.split(",").length : 1;
    if (opts.maxBatchCalls !== undefined && callCount > opts.maxBatchCalls) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `a batch may hold at most ${opts.maxBatchCalls} calls; this one has ${callCount}`,
      });
    }
    const fetchLike = asFetchRequest(req);
    info = await getRequestInfo({
      req: fetchLike,
      path: urlPathToProcedurePath(decodePath(urlPath), config.pathSeparator),
      router: opts.router,
      searchParams,
      headers: fetchLike.headers,
      url: null,
    });
    if (hasSubscription(info.calls)) return "stock";

    let ctxError: TRPCError | undefined;
    try {
      ctx = await opts.createContext({ req });
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }

    // One call (nearly all traffic) without Promise.all and its closures.
    const calls = info.calls;
    const results: CallResult[] =
      calls.length === 1
        ? [await runCall(opts, req, ctx, ctxError, calls[0]!)]
        : await Promise.all(calls.map((call) => runCall(opts, req, ctx, ctxError, call)));

    let allow: string | undefined;
    const rpc: unknown[] = [];
    const errors: (TRPCError | undefined)[] = [];
    for (const [index, result] of results.entries()) {
      const call = calls[index]!;
      errors.push(result.error);
      if (result.allow) allow = result.allow;
      if (!result.error) {
        rpc.push({ result: { data: result.data } });
        continue;
      }
      const type = info.isBatchCall ? (call.procedure?._def.type ?? "unknown") : info.type;
      rpc.push({ error: getErrorShape({ config, ctx, error: result.error, input: call.result(), path: call.path, type }) });
    }
    const json = info.isBatchCall ? rpc : rpc[0]!;
    return { status: getHTTPStatusCode(json as never, errors as TRPCError[]), body: serialize(config, json), allow };
  } catch (cause) {
    // Failures of the request as a whole (malformed JSON, mixed procedure types): one error.
    const error = getTRPCErrorFromUnknown(cause);
    const type = info?.type ?? "unknown";
    opts.onError?.({ error, path: undefined, input: undefined, ctx, type, req });
    const json = { error: getErrorShape({ config, ctx, error, input: undefined, path: undefined, type }) };
    return { status: getHTTPStatusCode(json as never, [error]), body: serialize(config, json) };
  }
}

type CallResult = { error: TRPCError; data?: undefined; allow?: string } | { error?: undefined; data: unknown; allow?: undefined };

/** One call of a request: its procedure through its middlewares, or the TRPCError it ended in (reported to onError). */
async function runCall<TRouter extends AnyRouter>(
  opts: TrpcHttpOptions<TRouter>,
  req: FastifyRequest,
  ctx: inferRouterContext<TRouter> | undefined,
  ctxError: TRPCError | undefined,
  call: TRPCRequestInfo["calls"][number],
): Promise<CallResult> {
  const proc = call.procedure;
  let allow: string | undefined;
  try {
    if (!proc) throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${call.path}"` });
    const type = proc._def.type as ProcedureType;
    if (ACCEPTED_METHODS[type] !== req.method) {
      allow = ACCEPTED_METHODS[type];
      throw new TRPCError({
        code: "METHOD_NOT_SUPPORTED",
        message: `Unsupported ${req.method}-request to ${type} procedure at path "${call.path}"`,
      });
    }
    if (ctxError) throw ctxError;
    const data = await proc({
      path: call.path,
      getRawInput: call.getRawInput,
      ctx,
      type,
      signal: undefined,
      batchIndex: call.batchIndex,
    });
    if (isDataStream(data)) {
      throw new TRPCError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
      });
    }
    return { data };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    opts.onError?.({ error, path: call.path, input: call.result(), ctx, type: proc?._def.type ?? "unknown", req });
    return { error, allow };
  }
}

/**
 * The answer as JSON, through the router's transformer. With tRPC's default transformer (the
 * identity, this API's) transformTRPCResponse only copies every item: skipped.
 */
function serialize(config: AnyRouter["_def"]["_config"], json: unknown): string {
  return JSON.stringify(config.transformer === defaultTransformer ? json : transformTRPCResponse(config, json as never));
}

function hasSubscription(calls: TRPCRequestInfo["calls"]): boolean {
  for (const call of calls) if (call.procedure?._def.type === "subscription") return true;
  return false;
}

function queryAt(url: string): string {
  const at = url.indexOf("?");
  return at < 0 ? "" : url.slice(at + 1);
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch (cause) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Invalid URL-encoding in path "${path}"`, cause });
  }
}

/** tRPC's test for a result that needs a streaming link (async iterables, promises inside). */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  return Object.values(value).some((v) => isPromise(v) || isAsyncIterable(v));
}

function wantsStream(req: FastifyRequest): boolean {
  const { accept } = req.headers;
  return req.headers["trpc-accept"] !== undefined || (accept?.includes("text/event-stream") ?? false);
}

function isJsonOrEmpty(req: FastifyRequest): boolean {
  const type = req.headers["content-type"];
  return type === undefined ? req.body === undefined : type.toLowerCase().startsWith("application/json");
}

/**
 * The part of a Fetch `Request` that getRequestInfo reads for a JSON call: method, headers and
 * the body as text. Building a real Request (a Headers copy, a body stream) is exactly the
 * cost this path avoids; classes rather than object literals, so that a request allocates two
 * small objects and no closures.
 */
class BufferedHeaders {
  constructor(private readonly raw: FastifyRequest["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
}

class BufferedRequest {
  readonly method: string;
  readonly headers: BufferedHeaders;
  readonly signal = undefined;
  private readonly body: string;
  constructor(req: FastifyRequest) {
    this.method = req.method;
    this.headers = new BufferedHeaders(req.headers);
    this.body = typeof req.body === "string" ? req.body : "";
  }
  async text(): Promise<string> {
    return this.body;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }
}

function asFetchRequest(req: FastifyRequest): Request {
  return new BufferedRequest(req) as unknown as Request;
}
