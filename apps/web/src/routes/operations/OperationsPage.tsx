import { Anchor, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { DataTable } from "../../components/DataTable";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { trpc } from "../../trpc";
import { orderColumns } from "../orders/order-columns";
import { DeliveryLog } from "../webhooks/DeliveryLog";

/** For the provider's operators: what went wrong across the platform, and the queues behind it. */
export function OperationsPage() {
  const failed = useInfiniteQuery(trpc.orders.list.infiniteQueryOptions({ status: "error", limit: 50 }, byCursor));
  const rows = rowsOf(failed);
  return (
    <Stack>
      <PageHeader
        title="Operations"
        description="Failed orders across the platform and failed webhook deliveries"
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
      <DeliveryLog status="failed" title="Failed deliveries (the provider's endpoints)" />
      <Group />
    </Stack>
  );
}
