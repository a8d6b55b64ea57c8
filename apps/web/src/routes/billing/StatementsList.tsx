import { Group, Select, Stack } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { MoneyText } from "../../components/Values";
import { recentMonths } from "../../lib/months";
import { statementSides, statementStatuses } from "../../lib/search";
import { trpc } from "../../trpc";
import { useAccountName } from "./account-names";
import { StatementStatus } from "./StatementStatus";

type Side = (typeof statementSides)[number];
type Status = (typeof statementStatuses)[number];

const sideLabels: Record<Side, string> = { buyer: "What we owe", vendor: "What we bill" };
const statusLabels: Record<Status, string> = { open: "Open", issued: "Issued" };
const sides = statementSides.map((value) => ({ value, label: sideLabels[value] }));
const statuses = statementStatuses.map((value) => ({ value, label: statusLabels[value] }));

const route = getRouteApi("/_app/billing");

export function StatementsList() {
  const accountName = useAccountName();
  // The filters live in the URL (lib/search.ts): a reload, Back or a shared link shows the same list.
  const { month, side, status } = route.useSearch();
  const navigate = useNavigate({ from: "/billing" });
  const filter = (change: { month?: string; side?: Side; status?: Status }) =>
    navigate({ search: (prev) => ({ ...prev, ...change }), replace: true });
  const list = useInfiniteQuery(
    trpc.billing.statements.list.infiniteQueryOptions(
      { limit: 50, month, side, status },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = month !== undefined || side !== undefined || status !== undefined;
  return (
    <Stack>
      <Group align="flex-end">
        <Select
          label="Month"
          placeholder="Any month"
          clearable
          data={recentMonths()}
          value={month ?? null}
          onChange={(v) => filter({ month: v ?? undefined })}
          w={{ base: "100%", xs: 200 }}
        />
        <Select
          label="Side"
          placeholder="Owed and billed"
          clearable
          data={sides}
          value={side ?? null}
          onChange={(v) => filter({ side: statementSides.find((s) => s === v) })}
          w={{ base: "100%", xs: 200 }}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={statuses}
          value={status ?? null}
          onChange={(v) => filter({ status: statementStatuses.find((s) => s === v) })}
          w={{ base: "100%", xs: 160 }}
        />
      </Group>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? "No statements match" : "No statements yet"}>
          {filtered
            ? "Clear a filter to see more."
            : "A statement starts with the first charge of a month: when an order completes or usage is reported."}
        </EmptyState>
      ) : (
        <DataTable
          caption="Statements"
          rows={rows}
          rowKey={(s) => s.id}
          more={{ hasMore: list.hasNextPage, loading: list.isFetchingNextPage, load: () => list.fetchNextPage() }}
          columns={[
            {
              label: "Month",
              render: (s) => (
                <AnchorLink
                  to="/billing/statements/$id"
                  params={{ id: s.id }}
                  aria-label={`${s.month}: ${accountName(s.buyerId)} from ${accountName(s.vendorId)}`}
                  style={{ whiteSpace: "nowrap" }}
                >
                  {s.month}
                </AnchorLink>
              ),
            },
            { label: "Buyer", render: (s) => accountName(s.buyerId) },
            // On a phone: the month, the buyer and the total (the link's label names the vendor too).
            { label: "Vendor", render: (s) => accountName(s.vendorId), wide: true },
            { label: "Status", render: (s) => <StatementStatus status={s.status} />, wide: true },
            { label: "Lines", render: (s) => s.lineCount, wide: true },
            { label: "Total", render: (s) => <MoneyText value={s.total} /> },
          ]}
        />
      )}
    </Stack>
  );
}
