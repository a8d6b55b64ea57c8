import { canopyEvent, eventType } from "@canopy/domain/shared";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { appRouter } from "./router";

/** Every REST error, whatever its cause (docs/api.md). */
export const restError = z
  .object({
    /** The tRPC error code: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PRECONDITION_FAILED, … */
    code: z.string(),
    /** One line; for invalid input it names each field and rule (`contact.email: invalid email address`). */
    message: z.string(),
    /** Reasons by dotted path (`contact.email`, `items.0.quantity`); empty unless the input was invalid. */
    fieldErrors: z.record(z.string(), z.array(z.string())),
    /** The request's `X-Request-Id`, to quote when asking about it. */
    requestId: z.string(),
  })
  .meta({ id: "Error" });

const ERROR_STATUSES: Record<string, string> = {
  "400": "Invalid input (BAD_REQUEST): see `message` and `fieldErrors`",
  "401": "No valid bearer token or API key (UNAUTHORIZED)",
  "403": "In reach but not allowed (FORBIDDEN)",
  "404": "Not found, or out of the caller's reach (NOT_FOUND)",
  "409": "A stale version or a duplicate (CONFLICT)",
  "412": "Not possible in the resource's current state (PRECONDITION_FAILED)",
  "429": "Too many requests (TOO_MANY_REQUESTS)",
  "500": "Internal error",
};

/**
 * The OpenAPI 3.1 document of the REST face of the API: generated from the same procedures and
 * zod schemas tRPC serves, with one error shape and the event stream added by hand (tRPC
 * subscriptions have no OpenAPI form).
 */
export function openApiDocument(opts: { baseUrl: string; version?: string }): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Canopy API",
    description:
      "The REST face of Canopy's API: the same procedures as tRPC at /trpc. Authenticate with `Authorization: Bearer <API key or session token>`. " +
      "Lists page with `?limit=&cursor=` and answer `{items, nextCursor}`. Every error is `{code, message, fieldErrors, requestId}`.",
    version: opts.version ?? "1.0.0",
    baseUrl: opts.baseUrl,
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key or a session token from POST /auth/login" } },
    defs: { Error: restError, Event: canopyEvent },
  });
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, { responses?: Record<string, unknown> }>)) {
      if (!operation?.responses) continue;
      for (const status of Object.keys(operation.responses)) {
        if (status !== "200") delete operation.responses[status];
      }
      for (const [status, description] of Object.entries(ERROR_STATUSES))
        operation.responses[status] = { description, content: errorContent };
    }
  }
  // trpc-to-openapi's own error schemas, replaced above by the one shape.
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  document.paths ??= {};
  document.paths["/events/stream"] = {
    get: {
      operationId: "events-stream",
      summary: "The events in reach as server-sent events, live",
      description:
        "`text/event-stream`: one `message` per event, its `id:` the event id and its `data:` the event as JSON; a comment every 15 s keeps the " +
        "connection open. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to receive exactly the events after that one; without it the " +
        "stream starts now. Scoped like GET /events.",
      tags: ["events"],
      security: [{ bearer: [] }],
      parameters: [
        { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" } },
        { name: "lastEventId", in: "query", required: false, schema: { type: "string" } },
        {
          name: "types",
          in: "query",
          required: false,
          style: "form",
          explode: false,
          schema: { type: "array", items: { type: "string", enum: [...eventType.options] } },
        },
      ],
      responses: {
        "200": { description: "The stream", content: { "text/event-stream": { schema: { type: "string" } } } },
        "401": { description: ERROR_STATUSES["401"]!, content: errorContent },
      },
    },
  };
  return document;
}
