import { forbidden, isInSubtree, notFound } from "@canopy/domain/shared";
import type { Actor } from "./actor";

/**
 * The permission table of docs/permissions.md, one function per row. Reach comes first: a resource whose
 * account is outside the actor's subtree is reported NOT_FOUND, so other tenants' ids cannot be
 * probed; a resource in reach that the actor may not change is FORBIDDEN.
 */
interface Target {
  id: string;
  path: string;
  type?: string;
}

const isAdmin = (actor: Actor) => actor.role === "admin";

/** True when the account at `path` is the actor's account or below it, for an admin actor. */
export function reaches(actor: Actor, path: string): boolean {
  return isAdmin(actor) && isInSubtree(path, actor.accountPath);
}

/** The subtree an actor may read accounts, users, orders, subscriptions and events in, or null (service users). */
export function readScope(actor: Actor): string | null {
  return isAdmin(actor) ? actor.accountPath : null;
}

export function assertReaches(actor: Actor, target: Target, what: string): void {
  if (!reaches(actor, target.path)) throw notFound(what);
}

export const permissions = {
  readAccount(actor: Actor, account: Target) {
    assertReaches(actor, account, "account");
  },
  createAccountUnder(actor: Actor, vendor: Target) {
    assertReaches(actor, vendor, "vendor account");
    if (actor.accountType === "customer" || vendor.type === "customer") {
      throw forbidden("customers cannot have accounts below them");
    }
  },
  updateAccount(actor: Actor, account: Target) {
    assertReaches(actor, account, "account");
    const own = account.id === actor.accountId;
    // Resellers change accounts strictly below themselves; customers (and the provider) their own details.
    if (own && actor.accountType === "reseller") throw forbidden("a reseller's own details are changed by its vendor");
  },
  setAccountStatus(actor: Actor, account: Target) {
    assertReaches(actor, account, "account");
    if (account.id === actor.accountId) throw forbidden("an account cannot change its own status");
  },
  manageUsers(actor: Actor, account: Target) {
    assertReaches(actor, account, "account");
  },
  manageProducts(actor: Actor) {
    if (!(isAdmin(actor) && actor.accountType === "provider")) throw forbidden("only the provider manages the catalog");
  },
  setPrices(actor: Actor) {
    if (!isAdmin(actor) || actor.accountType === "customer") throw forbidden("only vendors set prices");
  },
  orderForOwnAccount(actor: Actor) {
    if (!isAdmin(actor)) throw forbidden("service users cannot place orders: an admin user or an API key of the account can");
  },
  placeOrderFor(actor: Actor, account: Target) {
    assertReaches(actor, account, "account");
    if (account.type === "provider") throw forbidden("the provider does not place orders for itself");
  },
  assignSeats(actor: Actor, account: Target) {
    assertReaches(actor, account, "subscription");
  },
  manageWebhooks(actor: Actor) {
    if (!isAdmin(actor) || actor.accountType === "customer") throw forbidden("only the provider and resellers manage webhook endpoints");
  },
  useQueueDashboard(actor: Actor): boolean {
    return isAdmin(actor) && actor.accountType === "provider";
  },
};
