// Identity: accounts and their tree, users, API keys, sign-in, and who may do what.
export type { Actor } from "./access/actor";
export { permissions, reaches, readScope } from "./access/permissions";
export { hashSecret, secretMatches } from "./credentials/secrets";
export * from "./auth/auth.schema";
export * as auth from "./auth/auth.service";
export { authenticatePassword } from "./auth/password-auth";
export type { LoginOrigin } from "./auth/login-throttle";
export { ActorCache, ACTOR_CACHE_TTL_MS, CREDENTIAL_CHANGES_CHANNEL } from "./auth/actor-cache";
export * from "./accounts/accounts.schema";
export * as accounts from "./accounts/accounts.service";
export { loadAccountInReach } from "./accounts/accounts.service";
export { findAccount, findAccountInScope, listAccountsQuery } from "./accounts/accounts.repository";
export * from "./users/users.schema";
export * as users from "./users/users.service";
export { findUser } from "./users/users.repository";
export * from "./api-keys/api-keys.schema";
export * as apiKeys from "./api-keys/api-keys.service";
export { bootstrapPlatform, type BootstrapOptions, type BootstrapResult } from "./platform/bootstrap";
