import type { ReactNode } from "react";
import { ErrorState, Loading } from "./States";

/**
 * The body of a list screen: loading, the error with a retry, the empty state, or the list
 * itself. `empty` is what to show when there is nothing (false when there is something).
 */
export function ListBody({
  list,
  empty,
  children,
}: {
  list: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  empty: ReactNode;
  children: ReactNode;
}) {
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return empty || children;
}
