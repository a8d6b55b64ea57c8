import { Alert, Breadcrumbs, Card, Group, SimpleGrid, Stack, Table, Text, Timeline, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { ConfirmButton } from "../../components/ConfirmButton";
import { AnchorLink } from "../../components/Links";
import { attempt } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { MoneyText, When } from "../../components/Values";
import { humanise } from "../../lib/format";
import { pollWhileMoving } from "../../lib/live";
import { trpc } from "../../trpc";

const route = getRouteApi("/_app/orders/$orderId");

export function OrderDetailPage() {
  const { orderId } = route.useParams();
  const queryClient = useQueryClient();
  const order = useQuery({
    ...trpc.orders.get.queryOptions({ id: orderId }),
    refetchInterval: (q) => pollWhileMoving(q.state.data?.status),
  });
  const o = order.data;
  const events = useQuery({
    ...trpc.events.list.queryOptions({ accountId: o?.accountId, since: o?.createdAt, limit: 200 }),
    enabled: o !== undefined,
    refetchInterval: pollWhileMoving(o?.status),
  });
  const cancel = useMutation(trpc.orders.cancel.mutationOptions());

  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => order.refetch()} />;
  const order_ = order.data;
  // The event log has no per-resource filter: this order's events are those whose data is this order.
  const timeline = (events.data?.items ?? [])
    .filter((e) => e.type.startsWith("order.") && (e.data as { id?: string } | null)?.id === order_.id)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));

  return (
    <Stack>
      <Breadcrumbs>
        <AnchorLink to="/orders">Orders</AnchorLink>
        <Text>{order_.id}</Text>
      </Breadcrumbs>
      <PageHeader
        title={`${humanise(order_.type)} order`}
        description={
          <>
            {order_.id} · <StatusBadge status={order_.status} />
          </>
        }
        actions={
          order_.status === "submitted" ? (
            <ConfirmButton
              title="Cancel this order?"
              message="The order will not be provisioned. You can place a new one later."
              confirmLabel="Cancel order"
              onConfirm={() =>
                attempt(
                  async () =>
                    queryClient.setQueryData(trpc.orders.get.queryKey({ id: order_.id }), await cancel.mutateAsync({ id: order_.id })),
                  { done: "The order is cancelled.", failed: "Could not cancel the order" },
                )
              }
            >
              Cancel order
            </ConfirmButton>
          ) : undefined
        }
      />
      <Text aria-live="polite" className="visually-hidden">
        Order status: {humanise(order_.status)}
      </Text>
      {order_.errorMessage && (
        <Alert color="red" title="Provisioning failed" role="alert">
          {order_.errorMessage}
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          <Info label="Account" value={order_.accountId} />
          <Info label="Total" value={<MoneyText value={order_.total} fw={700} />} />
          <Info label="Placed" value={<When iso={order_.createdAt} />} />
          <Info label="Last change" value={<When iso={order_.updatedAt} />} />
        </SimpleGrid>
      </Card>
      <Title order={2} size="h4">
        Items
      </Title>
      <Table.ScrollContainer minWidth={480} type="native" tabIndex={0} role="region" aria-label="Order items">
        <Table>
          <caption className="visually-hidden">Order items</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Product</Table.Th>
              <Table.Th>Quantity</Table.Th>
              <Table.Th>Unit price</Table.Th>
              <Table.Th>Total</Table.Th>
              <Table.Th>Subscription</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order_.items.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>{item.mpn}</Table.Td>
                <Table.Td>{item.quantity}</Table.Td>
                <Table.Td>
                  <MoneyText value={item.unitPrice} />
                </Table.Td>
                <Table.Td>
                  <MoneyText value={item.total} />
                </Table.Td>
                <Table.Td>
                  {item.subscriptionId ? (
                    <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: item.subscriptionId }}>
                      {item.subscriptionId}
                    </AnchorLink>
                  ) : (
                    "—"
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Title order={2} size="h4">
        Timeline
      </Title>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} />
      ) : (
        <Timeline active={timeline.length - 1} bulletSize={16} lineWidth={2}>
          {timeline.map((e) => (
            <Timeline.Item key={e.id} title={humanise(e.type.replace("order.", ""))}>
              <Text size="sm" c="dimmed">
                <When iso={e.occurredAt} />
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      <Group />
    </Stack>
  );
}

function Info({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text component="div">{value}</Text>
    </div>
  );
}
