import { orderStatuses } from "@canopy/domain/statuses";
import { Group, Stack } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { ChoiceFilter } from "../../components/ChoiceFilter";
import { DataTable } from "../../components/DataTable";
import { ButtonLink } from "../../components/Links";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { humanise } from "../../lib/format";
import { pollWhile } from "../../lib/live";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { trpc } from "../../trpc";
import { orderColumns } from "./order-columns";

const route = getRouteApi("/_app/orders");

export function OrdersPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: "/orders" });
  const status = search.status;
  const list = useInfiniteQuery({
    ...trpc.orders.list.infiniteQueryOptions({ limit: 50, status }, byCursor),
    refetchInterval: (query) => pollWhile(rowsOf(query.state).some((o) => o.status === "submitted" || o.status === "processing")),
  });
  const rows = rowsOf(list);
  return (
    <Stack>
      <PageHeader
        title="Orders"
        description="Orders of your account and the accounts below it"
        actions={<ButtonLink to="/orders/new">New order</ButtonLink>}
      />
      <Group>
        <ChoiceFilter
          label="Status"
          any="Any status"
          choices={orderStatuses}
          value={status}
          onChange={(v) => navigate({ search: { status: v }, replace: true })}
        />
      </Group>
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState
              title={status ? `No ${humanise(status).toLowerCase()} orders` : "No orders yet"}
              action={<ButtonLink to="/orders/new">New order</ButtonLink>}
            >
              Place an order to buy a product for your account or an account below it.
            </EmptyState>
          )
        }
      >
        <DataTable
          caption="Orders"
          rows={rows}
          rowKey={(o) => o.id}
          more={moreOf(list)}
          columns={[orderColumns.id, orderColumns.type, orderColumns.items, orderColumns.status, orderColumns.total, orderColumns.placed]}
        />
      </ListBody>
    </Stack>
  );
}
