import type { Db } from "@canopy/db";
import { DomainError, fromDatabaseError } from "@canopy/domain/shared";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { Context } from "./context";
import { inputProblems } from "./readable-errors";

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Subscriptions over SSE: a ping every 15 s keeps proxies from closing a quiet stream.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const problems = error.code === "BAD_REQUEST" && cause instanceof ZodError ? inputProblems(cause) : null;
      return {
        ...shape,
        data: {
          ...shape.data,
          // Field-by-field reasons for invalid input, by dotted path (docs/api.md).
          fieldErrors: problems?.fieldErrors ?? null,
          // The earlier name of the same, as z.flattenError shaped it (keys now dotted paths).
          zodError: problems ? { formErrors: problems.formErrors, fieldErrors: problems.fieldErrors } : null,
          // Never leak internals of an unexpected failure to the caller.
          stack: undefined,
        },
        // One line naming each field and rule, instead of the issues as pretty-printed JSON.
        message: error.code === "INTERNAL_SERVER_ERROR" ? "internal error" : (problems?.message ?? shape.message),
      };
    },
  });

/** A domain failure (or a database one with a domain meaning) as the tRPC error of the same name; undefined for anything else. */
export function domainTrpcError(raw: unknown): TRPCError | undefined {
  const cause = raw instanceof DomainError ? raw : fromDatabaseError(raw);
  return cause ? new TRPCError({ code: cause.code, message: cause.message, cause }) : undefined;
}

/** Domain failures become the tRPC error of the same name; nothing else is translated. */
function translateDomainError<R extends { ok: boolean; error?: { cause?: unknown } }>(result: R): R {
  if (!result.ok) {
    const translated = domainTrpcError(result.error!.cause);
    if (translated) throw translated;
  }
  return result;
}

const domainErrors = t.middleware(async ({ next }) => translateDomainError(await next()));

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

/**
 * Authentication and the domain-error translation in one middleware rather than two stacked
 * ones: each level of tRPC's middleware chain copies the call's options, and authenticated
 * calls are nearly all the traffic (bench #1).
 */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "a valid bearer token or API key is required" });
  return translateDomainError(await next({ ctx: { actor: ctx.actor, tx: transactionsOf(ctx.db) } }));
});

/** Runs a domain function in one transaction: its changes and their events commit together. */
type Transact = <T>(fn: (trx: Db) => Promise<T>) => Promise<T>;
/** One `tx` per database handle (there is one per process), not a new closure per call. */
const transacts = new WeakMap<Db, Transact>();
function transactionsOf(db: Db): Transact {
  let tx = transacts.get(db);
  if (!tx) {
    tx = (fn) => db.transaction().execute(fn);
    transacts.set(db, tx);
  }
  return tx;
}
