import { Anchor, Button, Card, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { DataTable } from "../../components/DataTable";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { trpc } from "../../trpc";
import { orderColumns } from "../orders/order-columns";
import { DeliveryLog } from "../webhooks/DeliveryLog";

const route = getRouteApi("/_app/operations");

/** For the provider's operators: what went wrong across the platform, and the queues behind it. */
export function OperationsPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: "/operations" });
  // The failed deliveries unless the URL says otherwise ("any": every status).
  const deliveries = search.deliveries ?? "failed";
  const failed = useInfiniteQuery(trpc.orders.list.infiniteQueryOptions({ status: "error", limit: 50 }, byCursor));
  const rows = rowsOf(failed);
  return (
    <Stack>
      <PageHeader
        title="Operations"
        description="Failed orders and failed webhook deliveries across the platform, whichever account they belong to"
        actions={
          <Button component="a" href="/admin/queues" variant="default">
            Queue dashboard
          </Button>
        }
      />
      <Card withBorder>
        <Text size="sm">
          The <Anchor href="/admin/queues">queue dashboard</Anchor> shows the worker's jobs: provisioning, webhook deliveries and the outbox
          relay.
        </Text>
      </Card>
      <Title order={2} size="h4">
        Failed orders
      </Title>
      <ListBody
        list={failed}
        empty={rows.length === 0 && <EmptyState title="No failed orders">Every order was provisioned or is still on its way.</EmptyState>}
      >
        <DataTable
          caption="Failed orders"
          rows={rows}
          rowKey={(o) => o.id}
          more={moreOf(failed)}
          columns={[orderColumns.id, orderColumns.account, orderColumns.type, orderColumns.reason, orderColumns.total, orderColumns.failed]}
        />
      </ListBody>
      <DeliveryLog
        scope="subtree"
        status={deliveries === "any" ? undefined : deliveries}
        onStatusChange={(status) => navigate({ search: (prev) => ({ ...prev, deliveries: status ?? "any" }), replace: true })}
        title={deliveries === "failed" ? "Failed webhook deliveries" : "Webhook deliveries"}
        empty="No delivery to any endpoint on the platform matches. Deliveries that gave up after their last attempt show here."
      />
    </Stack>
  );
}
