import { typeid } from "typeid-js";

/** Prefixes of docs/domain.md; TypeIDs are UUIDv7 underneath, so ids sort by creation time. */
export type IdPrefix =
  | "acc"
  | "usr"
  | "key"
  | "ses"
  | "prd"
  | "prc"
  | "ord"
  | "itm"
  | "sub"
  | "evt"
  | "whe"
  | "dlv"
  | "att"
  | "stm"
  | "chg"
  | "rln"
  | "usg";

export function newId(prefix: IdPrefix): string {
  return typeid(prefix).toString();
}
