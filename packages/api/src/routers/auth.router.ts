import { auth, loginInput, loginOutput, logoutOutput, meOutput, whoamiOutput } from "@canopy/domain/identity";
import { authedProcedure, publicProcedure, router } from "../trpc";
import { rest } from "./rest";

export const authRouter = router({
  login: publicProcedure
    .meta(rest("POST", "/auth/login", "Sign in with email and password: a session token", { public: true }))
    .input(loginInput)
    .output(loginOutput)
    .mutation(({ ctx, input }) => auth.login(ctx.db, input, { clientAddress: ctx.clientAddress })),
  logout: authedProcedure
    .meta(rest("POST", "/auth/logout", "End the session of the token used"))
    .output(logoutOutput)
    .mutation(async ({ ctx }) => {
      if (ctx.token && ctx.actor.kind === "user") await auth.logout(ctx.db, ctx.token);
      return { ok: true as const };
    }),
  me: authedProcedure
    .meta(rest("GET", "/auth/me", "The caller: actor, user and account"))
    .output(meOutput)
    .query(({ ctx }) => auth.me(ctx.db, ctx.actor)),
  whoami: authedProcedure
    .meta(rest("GET", "/auth/whoami", "The caller in brief"))
    .output(whoamiOutput)
    .query(({ ctx }) => auth.whoami(ctx.actor)),
});
