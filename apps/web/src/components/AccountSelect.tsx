import { Select, type SelectProps } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMe } from "../lib/use-me";
import { trpc } from "../trpc";

/** Picks an account of the caller's subtree (its own first). */
export function AccountSelect(props: Omit<SelectProps, "data">) {
  const me = useMe();
  const accounts = useQuery({
    ...trpc.accounts.list.queryOptions({ status: "active", limit: 200 }),
    enabled: me.account.type !== "customer",
  });
  const data = [
    { value: me.account.id, label: `${me.account.name} (yours)` },
    ...(accounts.data?.items ?? []).filter((a) => a.id !== me.account.id).map((a) => ({ value: a.id, label: `${a.name} · ${a.type}` })),
  ];
  return <Select searchable allowDeselect={false} nothingFoundMessage="No account matches" {...props} data={data} />;
}
