import { users, usersCreateInput, usersListInput, usersSetPasswordInput, usersUpdateInput } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const usersRouter = router({
  create: authedProcedure.input(usersCreateInput).mutation(({ ctx, input }) => ctx.tx((trx) => users.createUser(trx, ctx.actor, input))),
  get: authedProcedure.input(byId).query(({ ctx, input }) => users.getUser(ctx.db, ctx.actor, input.id)),
  list: authedProcedure.input(usersListInput.prefault({})).query(({ ctx, input }) => users.listUsers(ctx.db, ctx.actor, input)),
  update: authedProcedure.input(usersUpdateInput).mutation(({ ctx, input }) => ctx.tx((trx) => users.updateUser(trx, ctx.actor, input))),
  disable: authedProcedure.input(byId).mutation(({ ctx, input }) => ctx.tx((trx) => users.disableUser(trx, ctx.actor, input.id))),
  enable: authedProcedure.input(byId).mutation(({ ctx, input }) => ctx.tx((trx) => users.enableUser(trx, ctx.actor, input.id))),
  setPassword: authedProcedure
    .input(usersSetPasswordInput)
    // Not in ctx.tx: a wrong current password must count towards the login throttle (see the service).
    .mutation(({ ctx, input }) => users.setUserPassword(ctx.db, ctx.actor, input, { token: ctx.token, clientAddress: ctx.clientAddress })),
});
