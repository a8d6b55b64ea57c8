import { usage, usageRecordOutput, usageReportInput } from "@canopy/domain/billing";
import { authedProcedure, router } from "../trpc";

export const usageRouter = router({
  report: authedProcedure
    .input(usageReportInput)
    .output(usageRecordOutput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => usage.reportUsage(trx, ctx.actor, input))),
});
