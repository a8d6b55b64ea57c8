import { Stack } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { ChoiceFilter } from "../../components/ChoiceFilter";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { pollWhile } from "../../lib/live";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { subscriptionStatuses } from "../../lib/search";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { MySeats } from "./MySeats";

const route = getRouteApi("/_app/subscriptions");

export function SubscriptionsPage() {
  const me = useMe();
  if (me.actor.role !== "admin") return <MySeats />;
  return <AllSubscriptions />;
}

function AllSubscriptions() {
  const me = useMe();
  // In the URL, so that a reload, Back and a shared link (the dashboard's Active subscriptions) show the same list.
  const { status } = route.useSearch();
  const navigate = useNavigate({ from: "/subscriptions" });
  const list = useInfiniteQuery({
    ...trpc.subscriptions.list.infiniteQueryOptions({ limit: 50, status }, byCursor),
    refetchInterval: (q) => pollWhile(rowsOf(q.state).some((s) => s.status === "pending" || s.pendingAction !== null)),
  });
  const rows = rowsOf(list);
  return (
    <Stack>
      <PageHeader
        title="Subscriptions"
        description={me.account.type === "customer" ? "Services your account uses" : "Services of your account and the accounts below it"}
      />
      <ChoiceFilter
        label="Status"
        any="Any status"
        choices={subscriptionStatuses}
        value={status}
        onChange={(v) => navigate({ search: { status: v }, replace: true })}
      />
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState title="No subscriptions">
              A subscription starts when a sales order completes. <AnchorLink to="/orders/new">Place an order</AnchorLink>.
            </EmptyState>
          )
        }
      >
        <DataTable
          caption="Subscriptions"
          rows={rows}
          rowKey={(s) => s.id}
          more={moreOf(list)}
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
      </ListBody>
    </Stack>
  );
}
