import { apiKey, apiKeyCreated, apiKeys, apiKeysCreateInput, apiKeysListInput, apiKeysPage } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const apiKeysRouter = router({
  create: authedProcedure.input(apiKeysCreateInput).output(apiKeyCreated).mutation(({ ctx, input }) => apiKeys.createApiKey(ctx.db, ctx.actor, input)),
  list: authedProcedure
    .input(apiKeysListInput.prefault({}))
    .output(apiKeysPage)
    .query(({ ctx, input }) => apiKeys.listApiKeys(ctx.db, ctx.actor, input)),
  revoke: authedProcedure.input(byId).output(apiKey).mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx.db, ctx.actor, input.id)),
});
