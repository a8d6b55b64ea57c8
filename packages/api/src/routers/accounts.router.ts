import {
  account,
  accounts,
  accountsCreateInput,
  accountsListInput,
  accountsPage,
  accountsSetStatusInput,
  accountsUpdateInput,
} from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const accountsRouter = router({
  create: authedProcedure
    .meta(rest("POST", "/accounts", "Create a reseller or customer account"))
    .input(accountsCreateInput)
    .output(account)
    .mutation(({ ctx, input }) => ctx.tx((trx) => accounts.createAccount(trx, ctx.actor, input))),
  get: authedProcedure
    .meta(rest("GET", "/accounts/{id}", "Get an account"))
    .input(byId)
    .output(account)
    .query(({ ctx, input }) => accounts.getAccount(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .meta(rest("GET", "/accounts", "List accounts in reach"))
    .input(accountsListInput.prefault({}))
    .output(accountsPage)
    .query(({ ctx, input }) => accounts.listAccounts(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .meta(rest("PATCH", "/accounts/{id}", "Change an account's details"))
    .input(accountsUpdateInput)
    .output(account)
    .mutation(({ ctx, input }) => ctx.tx((trx) => accounts.updateAccount(trx, ctx.actor, input))),
  setStatus: authedProcedure
    .meta(rest("POST", "/accounts/{id}/status", "Set an account's status"))
    .input(accountsSetStatusInput)
    .output(account)
    .mutation(({ ctx, input }) => ctx.tx((trx) => accounts.setAccountStatus(trx, ctx.actor, input))),
});
