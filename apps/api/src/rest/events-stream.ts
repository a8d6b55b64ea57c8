import type { AnyProcedure, AnyRouter, inferRouterContext } from "@trpc/server";
import { getTRPCErrorFromUnknown, isTrackedEnvelope } from "@trpc/server";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { restError } from "./rest-errors";

const HEARTBEAT_MS = 15_000;

/**
 * `GET /events/stream` as plain server-sent events, for curl and EventSource: the same
 * `events.stream` procedure tRPC serves, its `id:` the event id, `Last-Event-ID` to resume, a
 * comment line every 15 s so proxies keep a quiet connection open.
 */
export function eventsStreamRoute<TRouter extends AnyRouter>(
  app: FastifyInstance,
  opts: {
    router: TRouter;
    createContext: (opts: { req: FastifyRequest }) => Promise<inferRouterContext<TRouter>>;
    streams: Set<() => void>;
  },
): void {
  const procedure = (opts.router._def.procedures as Record<string, AnyProcedure>)["events.stream"]!;
  app.get("/events/stream", async (request, reply) => {
    const query = request.query as { lastEventId?: string; types?: string | string[] };
    const lastEventId = (request.headers["last-event-id"] as string | undefined) ?? query.lastEventId;
    const types =
      query.types === undefined
        ? undefined
        : [query.types]
            .flat()
            .flatMap((t) => t.split(","))
            .filter(Boolean);
    const abort = new AbortController();
    let iterable: AsyncIterable<unknown>;
    try {
      const ctx = await opts.createContext({ req: request });
      iterable = (await procedure({
        path: "events.stream",
        getRawInput: async () => ({ lastEventId, types }),
        ctx,
        type: "subscription",
        signal: abort.signal,
        batchIndex: 0,
      })) as AsyncIterable<unknown>;
    } catch (cause) {
      const { status, body } = restError(opts.router, getTRPCErrorFromUnknown(cause), request, "events.stream");
      return reply.code(status).send(body);
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-request-id": request.id,
      "x-accel-buffering": "no",
    });
    res.write(": connected\n\n");
    const stop = () => abort.abort();
    opts.streams.add(stop);
    request.raw.on("close", stop);
    const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
    try {
      for await (const item of iterable) {
        const [id, data] = isTrackedEnvelope(item) ? item : [undefined, item];
        res.write(`${id ? `id: ${id}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
      }
    } catch (cause) {
      if (!abort.signal.aborted) request.log.warn({ err: cause }, "event stream failed");
    } finally {
      clearInterval(heartbeat);
      opts.streams.delete(stop);
      res.end();
    }
  });
}
