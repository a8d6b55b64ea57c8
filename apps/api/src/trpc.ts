import { DomainError, fromDatabaseError } from "@canopy/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-by-field reasons for invalid input (spec §10).
        zodError: error.code === "BAD_REQUEST" && cause instanceof ZodError ? z.flattenError(cause) : null,
        // Never leak internals of an unexpected failure to the caller.
        stack: undefined,
      },
      message: error.code === "INTERNAL_SERVER_ERROR" ? "internal error" : shape.message,
    };
  },
});

/** Domain failures become the tRPC error of the same name; nothing else is translated. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause instanceof DomainError ? result.error.cause : fromDatabaseError(result.error.cause);
    if (cause) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "a valid bearer token or API key is required" });
  const { actor, db } = ctx;
  return next({
    ctx: {
      actor,
      /** Runs a domain function in one transaction: its changes and their events commit together. */
      tx: <T>(fn: (trx: typeof db) => Promise<T>): Promise<T> => db.transaction().execute(fn),
    },
  });
});
