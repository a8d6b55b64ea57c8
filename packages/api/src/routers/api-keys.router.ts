import { apiKeys, apiKeysCreateInput, apiKeysListInput } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const apiKeysRouter = router({
  create: authedProcedure.input(apiKeysCreateInput).mutation(({ ctx, input }) => apiKeys.createApiKey(ctx.db, ctx.actor, input)),
  list: authedProcedure.input(apiKeysListInput.prefault({})).query(({ ctx, input }) => apiKeys.listApiKeys(ctx.db, ctx.actor, input)),
  revoke: authedProcedure.input(byId).mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx.db, ctx.actor, input.id)),
});
