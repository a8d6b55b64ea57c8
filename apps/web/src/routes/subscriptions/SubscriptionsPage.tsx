import { Select, Stack } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { humanise } from "../../lib/format";
import { LIVE_POLL_MS } from "../../lib/live";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { MySeats } from "./MySeats";

const statuses = ["pending", "active", "suspended", "terminated"] as const;

export function SubscriptionsPage() {
  const me = useMe();
  if (me.actor.role !== "admin") return <MySeats />;
  return <AllSubscriptions />;
}

function AllSubscriptions() {
  const me = useMe();
  const [status, setStatus] = useState<(typeof statuses)[number] | undefined>(undefined);
  const list = useInfiniteQuery({
    ...trpc.subscriptions.list.infiniteQueryOptions({ limit: 50, status }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((s) => s.status === "pending" || s.pendingAction)) ? LIVE_POLL_MS : false,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <PageHeader
        title="Subscriptions"
        description={me.account.type === "customer" ? "Services your account uses" : "Services of your account and the accounts below it"}
      />
      <Select
        label="Status"
        placeholder="Any status"
        clearable
        data={statuses.map((s) => ({ value: s, label: humanise(s) }))}
        value={status ?? null}
        onChange={(v) => setStatus(statuses.find((s) => s === v))}
        w={{ base: "100%", xs: 180 }}
      />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No subscriptions">
          A subscription starts when a sales order completes. <AnchorLink to="/orders/new">Place an order</AnchorLink>.
        </EmptyState>
      ) : (
        <DataTable
          caption="Subscriptions"
          rows={rows}
          rowKey={(s) => s.id}
          more={{ hasMore: list.hasNextPage, loading: list.isFetchingNextPage, load: () => list.fetchNextPage() }}
          columns={[
            {
              label: "Subscription",
              render: (s) => (
                <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: s.id }}>
                  {s.mpn}
                </AnchorLink>
              ),
            },
            { label: "Account", render: (s) => (s.accountId === me.account.id ? "Yours" : s.accountId) },
            { label: "Quantity", render: (s) => s.quantity },
            { label: "Seats used", render: (s) => `${s.assignedUserIds.length} of ${s.quantity}` },
            { label: "Status", render: (s) => <StatusBadge status={s.status} /> },
            { label: "Renews", render: (s) => <When iso={s.renewsAt} /> },
          ]}
        />
      )}
    </Stack>
  );
}
