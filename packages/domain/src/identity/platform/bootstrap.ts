import { randomBytes } from "node:crypto";
import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { childPath, insertEvent, newId, systemOrigin } from "@canopy/domain/shared";
import { findProvider, insertAccount, toAccount } from "../accounts/accounts.repository";
import { insertApiKey } from "../api-keys/api-keys.repository";
import { hashPassword } from "../credentials/passwords";
import { hashSecret, visiblePrefix } from "../credentials/secrets";
import { insertUser, toUser } from "../users/users.repository";

export interface BootstrapOptions {
  providerName?: string;
  adminEmail?: string;
  /** When unset at first start, a password is generated and returned once. */
  adminPassword?: string;
  /** CANOPY_BOOTSTRAP_API_KEY: at least 32 characters, so automation can call the API. */
  apiKey?: string;
}

export interface BootstrapResult {
  providerId: string;
  /** Present only on the start that created the first admin. */
  firstAdmin?: { email: string; password: string; generated: boolean };
  apiKeyCreated: boolean;
}

/**
 * Makes sure the provider exists (docs/domain.md: from the first start), with its first admin and the
 * bootstrap API key. Safe to run on every start and from several processes at once: an advisory
 * lock serialises them and each step checks before it writes.
 */
export async function bootstrapPlatform(db: Db, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  if (options.apiKey !== undefined && options.apiKey.length < 32) {
    throw new Error("CANOPY_BOOTSTRAP_API_KEY must be at least 32 characters");
  }
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(4242)`.execute(trx);
    let provider = await findProvider(trx);
    if (!provider) {
      const id = newId("acc");
      provider = await insertAccount(trx, {
        id,
        type: "provider",
        name: options.providerName ?? "Canopy Provider",
        vendor_id: null,
        path: childPath("", id),
        external_id: null,
        contact: JSON.stringify({ email: options.adminEmail ?? "admin@canopy.local" }),
        address: JSON.stringify({ country: "US" }),
      });
      await insertEvent(trx, { type: "account.created", origin: systemOrigin("bootstrap"), account: provider, data: toAccount(provider) });
    }

    let firstAdmin: BootstrapResult["firstAdmin"];
    const anyAdmin = await trx.selectFrom("users").select("id").where("account_id", "=", provider.id).limit(1).executeTakeFirst();
    if (!anyAdmin) {
      const email = options.adminEmail ?? "admin@canopy.local";
      const password = options.adminPassword ?? randomBytes(12).toString("base64url");
      const user = await insertUser(trx, {
        id: newId("usr"),
        account_id: provider.id,
        account_path: provider.path,
        role: "admin",
        email,
        name: "Provider administrator",
        password_hash: await hashPassword(password),
      });
      await insertEvent(trx, { type: "user.created", origin: systemOrigin("bootstrap"), account: provider, data: toUser(user) });
      firstAdmin = { email, password, generated: options.adminPassword === undefined };
    }

    let apiKeyCreated = false;
    if (options.apiKey) {
      const hash = hashSecret(options.apiKey);
      const existing = await trx.selectFrom("api_keys").select("id").where("key_hash", "=", hash).executeTakeFirst();
      if (!existing) {
        await insertApiKey(trx, {
          id: newId("key"),
          account_id: provider.id,
          account_path: provider.path,
          name: "bootstrap (CANOPY_BOOTSTRAP_API_KEY)",
          prefix: visiblePrefix(options.apiKey),
          key_hash: hash,
          created_by: null,
        });
        apiKeyCreated = true;
      }
    }
    return { providerId: provider.id, firstAdmin, apiKeyCreated };
  });
}
