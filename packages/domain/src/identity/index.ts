// Identity: accounts and their tree, users, API keys, sign-in, and who may do what.
export { type Actor, eventOrigin } from "./access/actor";
export { permissions, reaches, readScope } from "./access/permissions";
export { findAccount, findAccountInScope, listAccountsQuery } from "./accounts/accounts.repository";
export * from "./accounts/accounts.schema";
export * as accounts from "./accounts/accounts.service";
export { loadAccountInReach } from "./accounts/accounts.service";
export * from "./api-keys/api-keys.schema";
export * as apiKeys from "./api-keys/api-keys.service";
export { ACTOR_CACHE_TTL_MS, ActorCache, CREDENTIAL_CHANGES_CHANNEL } from "./auth/actor-cache";
export * from "./auth/auth.schema";
export * as auth from "./auth/auth.service";
export { authenticatePassword } from "./auth/password-auth";
export type { LoginOrigin } from "./credentials/login-throttle";
export { hashSecret, secretMatches } from "./credentials/secrets";
export { type BootstrapOptions, type BootstrapResult, bootstrapPlatform } from "./platform/bootstrap";
export { findUser } from "./users/users.repository";
export * from "./users/users.schema";
export * as users from "./users/users.service";
