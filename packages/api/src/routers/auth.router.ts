import { auth, loginInput } from "@canopy/domain/identity";
import { authedProcedure, publicProcedure, router } from "../trpc";

export const authRouter = router({
  login: publicProcedure.input(loginInput).mutation(({ ctx, input }) => auth.login(ctx.db, input, { clientAddress: ctx.clientAddress })),
  logout: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.token && ctx.actor.kind === "user") await auth.logout(ctx.db, ctx.token);
    return { ok: true as const };
  }),
  me: authedProcedure.query(({ ctx }) => auth.me(ctx.db, ctx.actor)),
  whoami: authedProcedure.query(({ ctx }) => auth.whoami(ctx.actor)),
});
