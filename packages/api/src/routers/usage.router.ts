import { usage, usageRecordOutput, usageReportInput } from "@canopy/domain/billing";
import { authedProcedure, router } from "../trpc";
import { rest } from "./rest";

export const usageRouter = router({
  report: authedProcedure
    .meta(rest("POST", "/usage", "Report usage of a pay-as-you-go subscription (the provider or an ISV key)"))
    .input(usageReportInput)
    .output(usageRecordOutput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => usage.reportUsage(trx, ctx.actor, input))),
});
