import { accountStatuses } from "@canopy/domain/statuses";
import { Button, Group, Stack, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { ChoiceFilter } from "../../components/ChoiceFilter";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { accountTypes } from "../../lib/search";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { AccountsTable } from "./AccountsTable";
import { CreateAccountModal } from "./CreateAccountModal";

const route = getRouteApi("/_app/accounts");

export function AccountsPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = useNavigate({ from: "/accounts" });
  const [creating, { open, close }] = useDisclosure(false);
  // Kept in the URL (lib/search.ts): a reload, Back or a shared link shows the same list.
  const filters = { type: search.type, status: search.status };
  const list = useInfiniteQuery(trpc.accounts.list.infiniteQueryOptions({ limit: 50, ...filters }, byCursor));
  const setSearch = (patch: Partial<typeof search>) => navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  const needle = search.q?.toLowerCase();
  // The subtree includes the caller's own account: the tree shows what is below it.
  const rows = rowsOf(list)
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
        <ChoiceFilter
          label="Type"
          any="Any type"
          choices={accountTypes}
          value={filters.type}
          onChange={(type) => setSearch({ type })}
          width={160}
        />
        <ChoiceFilter
          label="Status"
          any="Any status"
          choices={accountStatuses}
          value={filters.status}
          onChange={(status) => setSearch({ status })}
          width={160}
        />
      </Group>
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState
              title={needle || filters.type || filters.status ? "No account matches" : "No accounts below yours yet"}
              action={<Button onClick={open}>Create account</Button>}
            >
              {needle || filters.type || filters.status
                ? "Change the search or the filters."
                : "Create a reseller or a customer to sell to."}
            </EmptyState>
          )
        }
      >
        <AccountsTable rows={rows} caption="Accounts in your tree" more={moreOf(list)} />
      </ListBody>
      <CreateAccountModal opened={creating} onClose={close} />
    </Stack>
  );
}
