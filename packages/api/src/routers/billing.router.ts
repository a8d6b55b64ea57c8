import {
  linesExportInput,
  linesExportOutput,
  marginInput,
  marginOutput,
  statementOutput,
  statements,
  statementsGetInput,
  statementsListInput,
  statementsPage,
} from "@canopy/domain/billing";
import { authedProcedure, router } from "../trpc";
import { rest } from "./rest";

export const billingRouter = router({
  statements: router({
    list: authedProcedure
      .meta(rest("GET", "/billing/statements", "List statements in reach, as buyer and as vendor"))
      .input(statementsListInput.prefault({}))
      .output(statementsPage)
      .query(({ ctx, input }) => statements.listStatements(ctx.db, ctx.actor, input)),
    get: authedProcedure
      .meta(rest("GET", "/billing/statements/{id}", "Get a statement"))
      .input(statementsGetInput)
      .output(statementOutput)
      .query(({ ctx, input }) => statements.getStatement(ctx.db, ctx.actor, input.id)),
  }),
  lines: router({
    export: authedProcedure
      .meta(rest("GET", "/billing/lines", "Export rated lines (JSON, or CSV in the csv field)"))
      .input(linesExportInput.prefault({}))
      .output(linesExportOutput)
      .query(({ ctx, input }) => statements.exportLines(ctx.db, ctx.actor, input)),
  }),
  margin: authedProcedure
    .meta(rest("GET", "/billing/margin", "A reseller's margin report for a month"))
    .input(marginInput)
    .output(marginOutput)
    .query(({ ctx, input }) => statements.marginReport(ctx.db, ctx.actor, input)),
});
