import { Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";

/** A service user's home: the subscriptions they hold a seat on, and nothing else. */
export function MySeats() {
  const me = useMe();
  const seats = useQuery(trpc.subscriptions.list.queryOptions({ limit: 200 }));
  return (
    <Stack>
      <PageHeader title="My subscriptions" description={`Services of ${me.account.name} you hold a seat on`} />
      {seats.isPending ? (
        <Loading />
      ) : seats.isError ? (
        <ErrorState error={seats.error} onRetry={() => seats.refetch()} />
      ) : seats.data.items.length === 0 ? (
        <EmptyState title="No seats yet">Ask an administrator of your account to assign you a seat on a subscription.</EmptyState>
      ) : (
        <DataTable
          caption="Subscriptions you hold a seat on"
          rows={seats.data.items}
          rowKey={(s) => s.id}
          columns={[
            {
              label: "Product",
              render: (s) => (
                <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: s.id }}>
                  {s.mpn}
                </AnchorLink>
              ),
            },
            { label: "Status", render: (s) => <StatusBadge status={s.status} /> },
            { label: "Seats", render: (s) => `${s.assignedUserIds.length} of ${s.quantity}` },
            { label: "Renews", render: (s) => <When iso={s.renewsAt} /> },
          ]}
        />
      )}
    </Stack>
  );
}
