import { user, users, usersCreateInput, usersListInput, usersPage, usersSetPasswordInput, usersUpdateInput } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const usersRouter = router({
  create: authedProcedure
    .meta(rest("POST", "/users", "Create a user"))
    .input(usersCreateInput)
    .output(user)
    .mutation(({ ctx, input }) => ctx.tx((trx) => users.createUser(trx, ctx.actor, input))),
  get: authedProcedure
    .meta(rest("GET", "/users/{id}", "Get a user"))
    .input(byId)
    .output(user)
    .query(({ ctx, input }) => users.getUser(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .meta(rest("GET", "/users", "List users"))
    .input(usersListInput.prefault({}))
    .output(usersPage)
    .query(({ ctx, input }) => users.listUsers(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .meta(rest("PATCH", "/users/{id}", "Change a user"))
    .input(usersUpdateInput)
    .output(user)
    .mutation(({ ctx, input }) => ctx.tx((trx) => users.updateUser(trx, ctx.actor, input))),
  disable: authedProcedure
    .meta(rest("POST", "/users/{id}/disable", "Disable a user"))
    .input(byId)
    .output(user)
    .mutation(({ ctx, input }) => ctx.tx((trx) => users.disableUser(trx, ctx.actor, input.id))),
  enable: authedProcedure.input(byId).mutation(({ ctx, input }) => ctx.tx((trx) => users.enableUser(trx, ctx.actor, input.id))),
  setPassword: authedProcedure
    .meta(rest("POST", "/users/{id}/password", "Set a user's password"))
    .input(usersSetPasswordInput)
    .output(user)
    // Not in ctx.tx: a wrong current password must count towards the login throttle (see the service).
    .mutation(({ ctx, input }) => users.setUserPassword(ctx.db, ctx.actor, input, { token: ctx.token, clientAddress: ctx.clientAddress })),
});
