import { user, users, usersCreateInput, usersListInput, usersPage, usersSetPasswordInput, usersUpdateInput } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const usersRouter = router({
  create: authedProcedure
    .input(usersCreateInput)
    .output(user)
    .mutation(({ ctx, input }) => ctx.tx((trx) => users.createUser(trx, ctx.actor, input))),
  get: authedProcedure.input(byId).output(user).query(({ ctx, input }) => users.getUser(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .input(usersListInput.prefault({}))
    .output(usersPage)
    .query(({ ctx, input }) => users.listUsers(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .input(usersUpdateInput)
    .output(user)
    .mutation(({ ctx, input }) => ctx.tx((trx) => users.updateUser(trx, ctx.actor, input))),
  disable: authedProcedure
    .input(byId)
    .output(user)
    .mutation(({ ctx, input }) => ctx.tx((trx) => users.disableUser(trx, ctx.actor, input.id))),
  enable: authedProcedure.input(byId).mutation(({ ctx, input }) => ctx.tx((trx) => users.enableUser(trx, ctx.actor, input.id))),
  setPassword: authedProcedure
    .input(usersSetPasswordInput)
    .output(user)
    // Not in ctx.tx: a wrong current password must count towards the login throttle (see the service).
    .mutation(({ ctx, input }) => users.setUserPassword(ctx.db, ctx.actor, input, { token: ctx.token, clientAddress: ctx.clientAddress })),
});
