import type { RouterOutputs } from "../trpc";

export type Me = RouterOutputs["auth"]["me"];
export type Need = "admin" | "seller" | "provider";

/**
 * Which screens a signed-in person is offered. The API decides what anyone may read or change;
 * this only keeps the navigation to what would not be refused.
 */
export function allowed(me: Me, need: Need): boolean {
  if (me.actor.role !== "admin") return false;
  if (need === "seller") return me.account.type !== "customer";
  if (need === "provider") return me.account.type === "provider";
  return true;
}
