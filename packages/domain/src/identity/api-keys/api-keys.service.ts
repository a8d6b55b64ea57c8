import type { Db } from "@canopy/db";
import { decodeCursor, forbidden, insertEvent, newId, notFound, type Page, pageOf, preconditionFailed } from "@canopy/domain/shared";
import { type Actor, eventOrigin } from "../access/actor";
import { permissions, reaches, readScope } from "../access/permissions";
import { loadAccountInReach } from "../accounts/accounts.service";
import { API_KEY_PREFIX, hashSecret, newSecret, visiblePrefix } from "../credentials/secrets";
import { findApiKey, insertApiKey, listApiKeys as queryApiKeys, revokeApiKeyRow, toApiKey } from "./api-keys.repository";
import type { ApiKey, ApiKeysCreateInput, ApiKeysListInput } from "./api-keys.schema";

/** Returns the key's secret this once; only its hash is stored. */
export async function createApiKey(db: Db, actor: Actor, input: ApiKeysCreateInput): Promise<{ apiKey: ApiKey; secret: string }> {
  const account = await loadAccountInReach(db, actor, input.accountId ?? actor.accountId);
  permissions.manageUsers(actor, account);
  if (account.status === "cancelled") throw preconditionFailed("the account is cancelled");
  if (input.kind === "isv" && (actor.accountType !== "provider" || account.id !== actor.accountId)) {
    throw forbidden("only the provider creates ISV keys, on its own account");
  }
  const secret = newSecret(API_KEY_PREFIX);
  const row = await insertApiKey(db, {
    id: newId("key"),
    account_id: account.id,
    account_path: account.path,
    name: input.name,
    prefix: visiblePrefix(secret),
    key_hash: hashSecret(secret),
    created_by: actor.id,
    kind: input.kind,
    isv_name: input.isvName ?? null,
  });
  const apiKey = toApiKey(row);
  // The event carries the key as listed (prefix, never the secret or its hash).
  await insertEvent(db, {
    type: "apiKey.created",
    origin: eventOrigin(actor),
    account: { id: account.id, path: account.path },
    data: apiKey,
  });
  return { apiKey, secret };
}

export async function listApiKeys(db: Db, actor: Actor, input: ApiKeysListInput): Promise<Page<ApiKey>> {
  const scope = readScope(actor);
  if (!scope) return { items: [], nextCursor: null };
  if (input.accountId) await loadAccountInReach(db, actor, input.accountId);
  const rows = await queryApiKeys(db, {
    subtreeOf: scope,
    accountId: input.accountId,
    includeRevoked: input.includeRevoked,
    afterId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toApiKey);
}

export async function revokeApiKey(db: Db, actor: Actor, id: string): Promise<ApiKey> {
  const row = await findApiKey(db, id);
  if (!row || !reaches(actor, row.account_path)) throw notFound("API key");
  permissions.manageUsers(actor, { id: row.account_id, path: row.account_path });
  const apiKey = toApiKey(await revokeApiKeyRow(db, id));
  // Revoking a revoked key changes nothing, so it writes no event.
  if (row.revoked_at === null) {
    await insertEvent(db, {
      type: "apiKey.revoked",
      origin: eventOrigin(actor),
      account: { id: row.account_id, path: row.account_path },
      data: apiKey,
    });
  }
  return apiKey;
}
