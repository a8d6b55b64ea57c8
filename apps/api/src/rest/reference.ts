import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "@canopy/api";
import type { FastifyInstance } from "fastify";

const require = createRequire(import.meta.url);

/**
 * Scalar's standalone bundle: the production build (tsdown.config.ts) copies it to dist/scalar,
 * beside the bundled server, and the image installs no @scalar package; from the sources it comes
 * from node_modules.
 */
function scalarBundlePath(): string {
  const copied = fileURLToPath(new URL("./scalar/standalone.js", import.meta.url));
  return existsSync(copied) ? copied : require.resolve("@scalar/api-reference/browser/standalone.js");
}

/**
 * The OpenAPI document at /api/v1/openapi.json and the interactive reference (Scalar) at /docs,
 * served entirely from this process: Scalar's standalone bundle (scalarBundlePath) is
 * told not to load its fonts, so the page works without the internet.
 */
export function registerReference(app: FastifyInstance): void {
  let document: string | undefined;
  app.get("/api/v1/openapi.json", async (_request, reply) => {
    document ??= JSON.stringify(openApiDocument({ baseUrl: "/api/v1" }));
    return reply.header("content-type", "application/json").send(document);
  });

  let bundle: Promise<string> | undefined;
  app.get("/docs/scalar.js", async (_request, reply) => {
    bundle ??= readFile(scalarBundlePath(), "utf8");
    return reply
      .header("content-type", "text/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(await bundle);
  });
  app.get("/docs", async (_request, reply) => reply.header("content-type", "text/html; charset=utf-8").send(page));
}

const configuration = {
  url: "/api/v1/openapi.json",
  withDefaultFonts: false,
  hideClientButton: true,
  // Its toolbar (Configure, Share, Deploy) links to Scalar's hosted services: not for this page.
  showDeveloperTools: "never",
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
};

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Canopy API reference</title>
    <style>body { margin: 0; } :root { --scalar-font: system-ui, sans-serif; --scalar-font-code: ui-monospace, monospace; }</style>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script>Scalar.createApiReference("#app", ${JSON.stringify(configuration)});</script>
  </body>
</html>
`;
