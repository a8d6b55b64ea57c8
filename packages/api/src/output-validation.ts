import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { createBuilder } from "@trpc/server/unstable-core-do-not-import";
import { router } from "./trpc";

type Middleware = ((opts: unknown) => Promise<unknown>) & { _type?: string; name: string };
interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  middlewares: Middleware[];
  resolver: (opts: unknown) => unknown;
  [key: string]: unknown;
}

/**
 * The same router whose procedures do not parse their results with their output schemas
 * (API_VALIDATE_OUTPUT=0; docs/api.md, Transport). Everything else is kept: inputs and their
 * parsing, middlewares, meta (the REST routes) and the output schemas themselves (`_def.output`,
 * which trpc-to-openapi reads for the OpenAPI document's responses). Each procedure is rebuilt
 * with tRPC's own builder from its definition minus the output middleware (tRPC marks it
 * `_type: "output"`) and the resolver's wrapper, which the builder adds back.
 *
 * What is lost with the check: a result that does not match its schema goes out as it is, and
 * fields a result carries beyond its schema are no longer stripped.
 */
export function withoutOutputValidation<TRouter extends AnyRouter>(source: TRouter): TRouter {
  const rebuild = (procedure: AnyProcedure): AnyProcedure => {
    const { type, middlewares, resolver, procedure: _marker, ...rest } = procedure._def as unknown as ProcedureDef;
    const last = middlewares.at(-1);
    if (last?.name !== "resolveMiddleware") throw new Error(`unexpected procedure shape (last middleware ${last?.name})`);
    const kept = middlewares.slice(0, -1).filter((m) => m._type !== "output");
    const builder = createBuilder({ ...rest, middlewares: kept } as never) as unknown as Record<
      ProcedureDef["type"],
      (resolver: ProcedureDef["resolver"]) => AnyProcedure
    >;
    return builder[type](resolver);
  };
  const copy = (record: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(record).map(([key, value]) => [
        key,
        typeof value === "function" && "_def" in value && (value._def as { procedure?: boolean }).procedure
          ? rebuild(value as AnyProcedure)
          : copy(value as Record<string, unknown>),
      ]),
    );
  return router(copy(source._def.record as Record<string, unknown>) as never) as unknown as TRouter;
}
