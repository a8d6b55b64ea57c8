import type { FastifyReply, FastifyRequest } from "fastify";

// bull-board's page links IBM Plex from Google Fonts: offline (or behind a strict firewall) the
// dashboard would wait on it, and every visit would tell Google who operates it. The page falls
// back to the system's sans-serif and monospace fonts.
const EXTERNAL_FONTS = /<link[^>]+href="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^>]*>\s*/g;

// An absolute path in a stack trace (`/srv/canopy/node_modules/bullmq/…/worker.js:123:45`, with or
// without file://) says where the server is installed; only the file name and line are kept.
const ABSOLUTE_PATH = /(?:file:\/\/)?(?:\/[^\s():"'\\/]+)+\/(?=[^\s():"'\\/]+:\d+)/g;

/** Strips remote font links from the dashboard's page and server paths from its JSON (stack traces). */
export async function dashboardHygiene(_req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (typeof payload !== "string") return payload;
  const type = String(reply.getHeader("content-type") ?? "");
  if (type.startsWith("text/html")) return payload.replace(EXTERNAL_FONTS, "");
  if (type.startsWith("application/json")) return payload.replace(ABSOLUTE_PATH, "");
  return payload;
}
