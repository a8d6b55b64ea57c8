import { account, accounts, accountsCreateInput, accountsPage, accountsListInput, accountsSetStatusInput, accountsUpdateInput } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const accountsRouter = router({
  create: authedProcedure
    .input(accountsCreateInput)
    .output(account)
    .mutation(({ ctx, input }) => ctx.tx((trx) => accounts.createAccount(trx, ctx.actor, input))),
  get: authedProcedure.input(byId).output(account).query(({ ctx, input }) => accounts.getAccount(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .input(accountsListInput.prefault({}))
    .output(accountsPage)
    .query(({ ctx, input }) => accounts.listAccounts(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .input(accountsUpdateInput)
    .output(account)
    .mutation(({ ctx, input }) => ctx.tx((trx) => accounts.updateAccount(trx, ctx.actor, input))),
  setStatus: authedProcedure
    .input(accountsSetStatusInput)
    .output(account)
    .mutation(({ ctx, input }) => ctx.tx((trx) => accounts.setAccountStatus(trx, ctx.actor, input))),
});
