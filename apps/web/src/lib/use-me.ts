import { useSuspenseQuery } from "@tanstack/react-query";
import { trpc } from "../trpc";
import type { Me } from "./access";

/** The signed-in person and their account: loaded before any screen renders (the app route's beforeLoad). */
export function useMe(): Me {
  return useSuspenseQuery(trpc.auth.me.queryOptions()).data;
}
