import { Group, Select, Stack } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { DataTable } from "../../components/DataTable";
import { AnchorLink, ButtonLink } from "../../components/Links";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { MoneyText, When } from "../../components/Values";
import { humanise } from "../../lib/format";
import { LIVE_POLL_MS } from "../../lib/live";
import { trpc } from "../../trpc";

const route = getRouteApi("/_app/orders");
const statuses = ["submitted", "processing", "completed", "error", "cancelled"] as const;

export function OrdersPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: "/orders" });
  const status = statuses.find((s) => s === search.status);
  const list = useInfiniteQuery({
    ...trpc.orders.list.infiniteQueryOptions({ limit: 50, status }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((o) => o.status === "submitted" || o.status === "processing"))
        ? LIVE_POLL_MS
        : false,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <PageHeader
        title="Orders"
        description="Orders of your account and the accounts below it"
        actions={<ButtonLink to="/orders/new">New order</ButtonLink>}
      />
      <Group>
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={statuses.map((s) => ({ value: s, label: humanise(s) }))}
          value={status ?? null}
          onChange={(v) => navigate({ search: { status: v ?? undefined }, replace: true })}
          w={{ base: "100%", xs: 180 }}
        />
      </Group>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={status ? `No ${humanise(status).toLowerCase()} orders` : "No orders yet"}
          action={<ButtonLink to="/orders/new">New order</ButtonLink>}
        >
          Place an order to buy a product for your account or an account below it.
        </EmptyState>
      ) : (
        <DataTable
          caption="Orders"
          rows={rows}
          rowKey={(o) => o.id}
          more={{ hasMore: list.hasNextPage, loading: list.isFetchingNextPage, load: () => list.fetchNextPage() }}
          columns={[
            {
              label: "Order",
              render: (o) => (
                <AnchorLink to="/orders/$orderId" params={{ orderId: o.id }}>
                  {o.id}
                </AnchorLink>
              ),
            },
            { label: "Type", render: (o) => humanise(o.type) },
            { label: "Items", render: (o) => o.items.map((i) => `${i.quantity} × ${i.mpn}`).join(", ") },
            { label: "Status", render: (o) => <StatusBadge status={o.status} /> },
            { label: "Total", render: (o) => <MoneyText value={o.total} /> },
            { label: "Placed", render: (o) => <When iso={o.createdAt} /> },
          ]}
        />
      )}
    </Stack>
  );
}
