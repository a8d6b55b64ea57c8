import { auth, loginInput, loginOutput, logoutOutput, meOutput, whoamiOutput } from "@canopy/domain/identity";
import { authedProcedure, publicProcedure, router } from "../trpc";

export const authRouter = router({
  login: publicProcedure.input(loginInput).output(loginOutput).mutation(({ ctx, input }) => auth.login(ctx.db, input, { clientAddress: ctx.clientAddress })),
  logout: authedProcedure.output(logoutOutput).mutation(async ({ ctx }) => {
    if (ctx.token && ctx.actor.kind === "user") await auth.logout(ctx.db, ctx.token);
    return { ok: true as const };
  }),
  me: authedProcedure.output(meOutput).query(({ ctx }) => auth.me(ctx.db, ctx.actor)),
  whoami: authedProcedure.output(whoamiOutput).query(({ ctx }) => auth.whoami(ctx.actor)),
});
