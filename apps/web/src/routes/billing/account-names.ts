import { useQuery } from "@tanstack/react-query";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";

/**
 * Names for the account ids billing answers with: the caller's own and those below it. The
 * caller's vendor is above its reach (its name is not readable), so it is called what it is.
 */
export function useAccountName(): (id: string) => string {
  const me = useMe();
  const below = useQuery({
    ...trpc.accounts.list.queryOptions({ limit: 200 }),
    enabled: me.account.type !== "customer",
  });
  const names = new Map((below.data?.items ?? []).map((a) => [a.id, a.name]));
  return (id) => {
    if (id === me.account.id) return `${me.account.name} (yours)`;
    if (id === me.account.vendorId) return "Your vendor";
    return names.get(id) ?? id;
  };
}
