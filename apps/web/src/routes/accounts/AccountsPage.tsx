import { Button, Group, Select, Stack, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { AccountsTable } from "./AccountsTable";
import { CreateAccountModal } from "./CreateAccountModal";

const route = getRouteApi("/_app/accounts");
const types = ["reseller", "customer"] as const;
const statuses = ["active", "creditHold", "adminHold", "cancelled"] as const;
const pick = <T extends string>(list: readonly T[], value: string | undefined) => list.find((v) => v === value);

export function AccountsPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = useNavigate({ from: "/accounts" });
  const [creating, { open, close }] = useDisclosure(false);
  const filters = { type: pick(types, search.type), status: pick(statuses, search.status) };
  const list = useInfiniteQuery(
    trpc.accounts.list.infiniteQueryOptions({ limit: 50, ...filters }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const setSearch = (patch: Partial<typeof search>) => navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  const needle = search.q?.toLowerCase();
  // The subtree includes the caller's own account: the tree shows what is below it.
  const rows = (list.data?.pages.flatMap((p) => p.items) ?? [])
    .filter((a) => a.id !== me.account.id)
    .filter((a) => !needle || [a.name, a.id, a.externalId ?? "", a.contact.email].some((f) => f.toLowerCase().includes(needle)));

  return (
    <Stack>
      <PageHeader
        title="Accounts"
        description={`Resellers and customers below ${me.account.name}`}
        actions={<Button onClick={open}>Create account</Button>}
      />
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search"
          placeholder="Name, id, email"
          defaultValue={search.q ?? ""}
          onChange={(e) => setSearch({ q: e.currentTarget.value || undefined })}
          w={{ base: "100%", xs: 240 }}
        />
        <Select
          label="Type"
          placeholder="Any type"
          clearable
          data={[
            { value: "reseller", label: "Reseller" },
            { value: "customer", label: "Customer" },
          ]}
          value={filters.type ?? null}
          onChange={(v) => setSearch({ type: v ?? undefined })}
          w={{ base: "100%", xs: 160 }}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={[
            { value: "active", label: "Active" },
            { value: "creditHold", label: "Credit hold" },
            { value: "adminHold", label: "Admin hold" },
            { value: "cancelled", label: "Cancelled" },
          ]}
          value={filters.status ?? null}
          onChange={(v) => setSearch({ status: v ?? undefined })}
          w={{ base: "100%", xs: 160 }}
        />
      </Group>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={needle || filters.type || filters.status ? "No account matches" : "No accounts below yours yet"}
          action={<Button onClick={open}>Create account</Button>}
        >
          {needle || filters.type || filters.status ? "Change the search or the filters." : "Create a reseller or a customer to sell to."}
        </EmptyState>
      ) : (
        <AccountsTable
          rows={rows}
          caption="Accounts in your tree"
          more={{ hasMore: list.hasNextPage, loading: list.isFetchingNextPage, load: () => list.fetchNextPage() }}
        />
      )}
      <CreateAccountModal opened={creating} onClose={close} />
    </Stack>
  );
}
