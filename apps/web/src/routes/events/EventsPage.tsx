import { eventTypes } from "@canopy/domain/event-types";
import { Code, Select, Stack, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { DataTable } from "../../components/DataTable";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { When } from "../../components/Values";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { trpc } from "../../trpc";

/** A one-line summary of the resource an event carries. */
function summary(data: unknown): string {
  if (!data || typeof data !== "object") return "";
  const d = data as Record<string, unknown>;
  return [d.id, d.name ?? d.mpn ?? d.email, d.status].filter((v) => typeof v === "string").join(" · ");
}

const route = getRouteApi("/_app/events");

export function EventsPage() {
  // The type filter lives in the URL (lib/search.ts): a reload, Back or a shared link keeps it.
  const { type } = route.useSearch();
  const navigate = useNavigate({ from: "/events" });
  const list = useInfiniteQuery(trpc.events.list.infiniteQueryOptions({ limit: 50, type }, byCursor));
  const rows = rowsOf(list);
  return (
    <Stack>
      <PageHeader title="Event log" description="Every change in your account and the accounts below it, as webhooks receive them" />
      <Select
        label="Event type"
        placeholder="Any type"
        clearable
        searchable
        data={[...eventTypes]}
        value={type ?? null}
        onChange={(v) => navigate({ search: { type: eventTypes.find((t) => t === v) }, replace: true })}
        w={{ base: "100%", xs: 260 }}
      />
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState title="No events">Events are recorded as accounts, users, orders and subscriptions change.</EmptyState>
          )
        }
      >
        <DataTable
          caption="Events"
          rows={rows}
          rowKey={(e) => e.id}
          more={moreOf(list)}
          columns={[
            { label: "When", render: (e) => <When iso={e.occurredAt} /> },
            { label: "Type", render: (e) => <Code>{e.type}</Code> },
            { label: "Account", render: (e) => <Text size="sm">{e.accountId}</Text> },
            { label: "Resource", render: (e) => <Text size="sm">{summary(e.data)}</Text> },
          ]}
        />
      </ListBody>
    </Stack>
  );
}
