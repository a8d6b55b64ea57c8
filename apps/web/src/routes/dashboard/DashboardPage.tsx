import { Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, type LinkOptions, linkOptions } from "@tanstack/react-router";
import { DataTable } from "../../components/DataTable";
import { AnchorLink, ButtonLink } from "../../components/Links";
import { ListBody } from "../../components/ListBody";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { humanise } from "../../lib/format";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { orderColumns } from "../orders/order-columns";
import { MySeats } from "../subscriptions/MySeats";

export function DashboardPage() {
  const me = useMe();
  if (me.actor.role !== "admin") return <MySeats />;
  return <AdminDashboard />;
}

/** A figure that opens the list it counts (`link`: that list, filtered as the count is). */
function Figure({ label, value, link }: { label: string; value: React.ReactNode; link: LinkOptions }) {
  return (
    <Card withBorder padding="md" radius="md" renderRoot={(props) => <Link {...link} {...props} />}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  );
}

function AdminDashboard() {
  const me = useMe();
  const recent = useQuery(trpc.orders.list.queryOptions({ limit: 5 }));
  const running = useQuery(trpc.orders.list.queryOptions({ status: "processing", limit: 50 }));
  const failed = useQuery(trpc.orders.list.queryOptions({ status: "error", limit: 50 }));
  const subscriptions = useQuery(trpc.subscriptions.list.queryOptions({ status: "active", limit: 200 }));
  const count = (q: { data?: { items: unknown[]; nextCursor: string | null } }) =>
    q.data ? `${q.data.items.length}${q.data.nextCursor ? "+" : ""}` : "…";

  return (
    <Stack>
      <PageHeader
        title={`Welcome, ${me.user?.name ?? "administrator"}`}
        description={
          <>
            {me.account.name} · {humanise(me.account.type)} · <StatusBadge status={me.account.status} />
          </>
        }
        actions={<ButtonLink to="/orders/new">New order</ButtonLink>}
      />
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Figure
          label="Active subscriptions"
          value={count(subscriptions)}
          link={linkOptions({ to: "/subscriptions", search: { status: "active" } })}
        />
        <Figure label="Orders in progress" value={count(running)} link={linkOptions({ to: "/orders", search: { status: "processing" } })} />
        <Figure label="Failed orders" value={count(failed)} link={linkOptions({ to: "/orders", search: { status: "error" } })} />
      </SimpleGrid>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Recent orders
        </Title>
        <AnchorLink to="/orders" size="sm">
          All orders
        </AnchorLink>
      </Group>
      <ListBody
        list={recent}
        empty={
          recent.data?.items.length === 0 && (
            <EmptyState title="No orders yet" action={<ButtonLink to="/orders/new">Place the first order</ButtonLink>}>
              Orders you and the accounts below you place appear here.
            </EmptyState>
          )
        }
      >
        <DataTable
          caption="Recent orders"
          rows={recent.data?.items ?? []}
          rowKey={(o) => o.id}
          columns={[orderColumns.id, orderColumns.type, orderColumns.status, orderColumns.total, orderColumns.placed]}
        />
      </ListBody>
    </Stack>
  );
}
