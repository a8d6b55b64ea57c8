import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Paths that belong to the API host: an unknown one is a 404, never the panel. */
const HOST_PATHS = ["/trpc", "/api", "/admin", "/docs", "/session", "/healthz", "/readyz", "/metrics"];
const ownedByHost = (path: string) => HOST_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The user panel (apps/web's build) at `/`, same origin as the API. Hashed assets are cached for
 * good; any other GET a browser makes for a page (`/orders/ord_…`) gets index.html, and the
 * panel's router takes it from there.
 */
export async function registerPanel(app: FastifyInstance, { dir }: { dir: string }): Promise<void> {
  const built = existsSync(join(dir, "index.html"));
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      // The queue dashboard registers @fastify/static too: the reply decorator stays its own.
      decorateReply: false,
      index: "index.html",
      setHeaders(res, path) {
        res.setHeader("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  }

  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    const page = (req.method === "GET" || req.method === "HEAD") && !ownedByHost(path) && !/\.[a-z0-9]+$/i.test(path);
    if (!page) return reply.code(404).send({ code: "NOT_FOUND", message: `Route ${req.method}:${path} not found` });
    if (!built) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The user panel is not built. Run `npm start` (it builds it), or `npm run build -w @canopy/web`.\n");
    }
    const html = await readFile(join(dir, "index.html"), "utf8");
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html);
  });
}
