import type { OpenApiMeta, OpenApiMethod } from "trpc-to-openapi";
import { z } from "zod";

type RestMeta = NonNullable<OpenApiMeta["openapi"]>;

/** Stripe's convention for retrying a create safely: the same key returns the first result. */
const idempotencyHeader = z.object({
  "Idempotency-Key": z.string().max(200).optional().meta({
    description:
      "A key of the caller's choosing: a retry with the same key and content returns the first result instead of creating another",
  }),
});

/** Where a procedure is served as REST under /api/v1 (docs/api.md). */
export function rest(
  method: OpenApiMethod,
  path: `/${string}`,
  summary: string,
  opts: { idempotent?: boolean; public?: boolean } = {},
): { openapi: RestMeta } {
  const tag = path.split("/")[1]!;
  return {
    openapi: {
      method,
      path,
      summary,
      tags: [tag === "webhooks" ? `webhooks/${path.split("/")[2]}` : tag],
      protect: !opts.public,
      ...(opts.idempotent && { requestHeaders: idempotencyHeader }),
    },
  };
}
