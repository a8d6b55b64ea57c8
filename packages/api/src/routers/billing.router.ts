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

export const billingRouter = router({
  statements: router({
    list: authedProcedure
      .input(statementsListInput.prefault({}))
      .output(statementsPage)
      .query(({ ctx, input }) => statements.listStatements(ctx.db, ctx.actor, input)),
    get: authedProcedure
      .input(statementsGetInput)
      .output(statementOutput)
      .query(({ ctx, input }) => statements.getStatement(ctx.db, ctx.actor, input.id)),
  }),
  lines: router({
    export: authedProcedure
      .input(linesExportInput.prefault({}))
      .output(linesExportOutput)
      .query(({ ctx, input }) => statements.exportLines(ctx.db, ctx.actor, input)),
  }),
  margin: authedProcedure
    .input(marginInput)
    .output(marginOutput)
    .query(({ ctx, input }) => statements.marginReport(ctx.db, ctx.actor, input)),
});
