import { apiKey, apiKeyCreated, apiKeys, apiKeysCreateInput, apiKeysListInput, apiKeysPage } from "@canopy/domain/identity";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const apiKeysRouter = router({
  create: authedProcedure
    .meta(rest("POST", "/api-keys", "Create an API key (its secret is shown once)"))
    .input(apiKeysCreateInput)
    .output(apiKeyCreated)
    .mutation(({ ctx, input }) => ctx.tx((trx) => apiKeys.createApiKey(trx, ctx.actor, input))),
  list: authedProcedure
    .meta(rest("GET", "/api-keys", "List API keys"))
    .input(apiKeysListInput.prefault({}))
    .output(apiKeysPage)
    .query(({ ctx, input }) => apiKeys.listApiKeys(ctx.db, ctx.actor, input)),
  revoke: authedProcedure
    .meta(rest("POST", "/api-keys/{id}/revoke", "Revoke an API key"))
    .input(byId)
    .output(apiKey)
    .mutation(({ ctx, input }) => ctx.tx((trx) => apiKeys.revokeApiKey(trx, ctx.actor, input.id))),
});
