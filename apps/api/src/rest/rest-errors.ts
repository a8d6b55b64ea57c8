import type { AnyRouter } from "@trpc/server";
import { getErrorShape, getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The one error shape of the REST API (the `Error` schema of the OpenAPI document). */
export interface RestErrorBody {
  code: string;
  message: string;
  fieldErrors: Record<string, string[]>;
  requestId: string;
}

/** A failure of a procedure, in the words of the router's error formatter (readable message, dotted field errors). */
export function restError(
  router: AnyRouter,
  error: TRPCError,
  request: FastifyRequest,
  path?: string,
): { status: number; body: RestErrorBody } {
  const shape = getErrorShape({ config: router._def._config, error, type: "unknown", path, input: undefined, ctx: undefined }) as {
    message: string;
    data?: { fieldErrors?: Record<string, string[]> | null };
  };
  return {
    status: getHTTPStatusCodeFromError(error),
    body: { code: error.code, message: shape.message, fieldErrors: shape.data?.fieldErrors ?? {}, requestId: request.id },
  };
}

/** Fastify's own failures (unparseable body, too large, unknown route) in the same shape, without a stack trace in the log. */
export function sendFastifyError(router: AnyRouter, reply: FastifyReply, request: FastifyRequest, cause: unknown) {
  const status = (cause as { statusCode?: number }).statusCode ?? 500;
  const code =
    status === 413
      ? "PAYLOAD_TOO_LARGE"
      : status === 415
        ? "UNSUPPORTED_MEDIA_TYPE"
        : status < 500
          ? "BAD_REQUEST"
          : "INTERNAL_SERVER_ERROR";
  const error =
    cause instanceof TRPCError
      ? cause
      : status < 500
        ? new TRPCError({ code, message: (cause as Error).message })
        : getTRPCErrorFromUnknown(cause);
  if (error.code === "INTERNAL_SERVER_ERROR") request.log.error({ err: cause }, "request failed");
  const { status: httpStatus, body } = restError(router, error, request);
  return reply.code(httpStatus).header("content-type", "application/json").send(body);
}
