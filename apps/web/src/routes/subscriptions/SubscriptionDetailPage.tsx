import { Alert, Breadcrumbs, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ConfirmButton } from "../../components/ConfirmButton";
import { AnchorLink } from "../../components/Links";
import { attempt } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { errorMessage, fieldErrorsOf } from "../../lib/errors";
import { humanise } from "../../lib/format";
import { pollWhile, pollWhileMoving } from "../../lib/live";
import { type Change, refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { Seats } from "./Seats";

const route = getRouteApi("/_app/subscriptions/$subscriptionId");

export function SubscriptionDetailPage() {
  const { subscriptionId } = route.useParams();
  const me = useMe();
  const queryClient = useQueryClient();
  const sub = useQuery({
    ...trpc.subscriptions.get.queryOptions({ id: subscriptionId }),
    refetchInterval: (q) =>
      pollWhile(q.state.data !== undefined && (q.state.data.status === "pending" || q.state.data.pendingAction !== null)),
  });
  const suspend = useMutation(trpc.subscriptions.suspend.mutationOptions());
  const resume = useMutation(trpc.subscriptions.resume.mutationOptions());
  const cancel = useMutation(trpc.subscriptions.cancel.mutationOptions());

  if (sub.isPending) return <Loading />;
  if (sub.isError) return <ErrorState error={sub.error} onRetry={() => sub.refetch()} />;
  const s = sub.data;
  const admin = me.actor.role === "admin";
  const live = s.status !== "terminated";
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.subscriptions.get.queryKey({ id: s.id }) });

  // This subscription, and the lists it shows on (`change`: "order" when the action places one,
  // which the orders list then shows), even with the live stream down.
  const act = (run: () => Promise<unknown>, done: string, change: Change) =>
    attempt(
      async () => {
        await run();
        await Promise.all([refresh(), refreshAfter(change)]);
      },
      { done, failed: "Could not change the subscription" },
    );

  return (
    <Stack>
      <Breadcrumbs>
        <AnchorLink to={admin ? "/subscriptions" : "/"}>Subscriptions</AnchorLink>
        <Text>{s.mpn}</Text>
      </Breadcrumbs>
      <PageHeader
        title={s.mpn}
        description={
          <>
            {s.id} · <StatusBadge status={s.status} />
            {s.pendingAction && ` · ${humanise(s.pendingAction)} requested`}
          </>
        }
        actions={
          admin && live ? (
            <>
              {s.status === "active" && (
                <ConfirmButton
                  color="orange"
                  title="Suspend this subscription?"
                  message="Its users lose access to the service until it is resumed."
                  confirmLabel="Suspend"
                  onConfirm={() => act(() => suspend.mutateAsync({ id: s.id }), "Suspension requested.", "subscription")}
                >
                  Suspend
                </ConfirmButton>
              )}
              {s.status === "suspended" && (
                <Button
                  variant="light"
                  onClick={() => act(() => resume.mutateAsync({ id: s.id }), "Resumption requested.", "subscription")}
                  loading={resume.isPending}
                >
                  Resume
                </Button>
              )}
              <ConfirmButton
                title="Cancel this subscription?"
                message="A cancellation order ends the service for everyone holding a seat. This cannot be undone."
                confirmLabel="Cancel subscription"
                onConfirm={() => act(() => cancel.mutateAsync({ id: s.id }), "Cancellation order placed.", "order")}
              >
                Cancel subscription
              </ConfirmButton>
            </>
          ) : undefined
        }
      />
      <Text aria-live="polite" className="visually-hidden">
        Subscription status: {humanise(s.status)}, quantity {s.quantity}
      </Text>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          <Info label="Quantity" value={<span data-testid="quantity">{s.quantity}</span>} />
          <Info label="Account" value={s.accountId} />
          <Info label="Started" value={<When iso={s.startedAt} />} />
          <Info label="Renews" value={<When iso={s.renewsAt} />} />
        </SimpleGrid>
      </Card>
      {admin && live && s.status !== "pending" && <ChangeQuantity id={s.id} current={s.quantity} seatsUsed={s.assignedUserIds.length} />}
      <Seats subscription={s} canManage={admin && live} />
    </Stack>
  );
}

function ChangeQuantity({ id, current, seatsUsed }: { id: string; current: number; seatsUsed: number }) {
  const [quantity, setQuantity] = useState<number | string>(current);
  const [error, setError] = useState<string | undefined>();
  const [placed, setPlaced] = useState<string | null>(null);
  const change = useMutation(trpc.subscriptions.changeQuantity.mutationOptions());
  const queryClient = useQueryClient();
  // The change order is provisioned by the worker: follow it, and re-read the subscription once it settles.
  const order = useQuery({
    ...trpc.orders.get.queryOptions({ id: placed ?? "" }),
    enabled: placed !== null,
    refetchInterval: (q) => pollWhileMoving(q.state.data?.status ?? "submitted"),
  });
  const settled = order.data && !["submitted", "processing"].includes(order.data.status);
  useEffect(() => {
    if (!settled) return;
    void queryClient.invalidateQueries({ queryKey: trpc.subscriptions.get.queryKey({ id }) });
    // The order's new status on the orders list, the new quantity on the subscriptions list.
    void refreshAfter("order");
  }, [settled, id, queryClient]);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Change quantity
      </Title>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const q = Number(quantity);
          if (!Number.isInteger(q) || q < 1) return setError("Enter a whole number of at least 1");
          if (q === current) return setError("That is the current quantity");
          if (q < seatsUsed) return setError(`${seatsUsed} seats are assigned: unassign some first`);
          setError(undefined);
          try {
            const order = await change.mutateAsync({ id, quantity: q });
            setPlaced(order.id);
            // The change order shows on the orders list at once, with the live stream down too.
            void refreshAfter("order");
          } catch (failure) {
            setError(fieldErrorsOf(failure).quantity ?? errorMessage(failure));
          }
        }}
      >
        <Stack gap="sm">
          {placed && (
            <Alert color="canopy" role="status">
              Change order placed:{" "}
              <AnchorLink to="/orders/$orderId" params={{ orderId: placed }}>
                {placed}
              </AnchorLink>{" "}
              {order.data ? <StatusBadge status={order.data.status} /> : null}
              {settled ? null : " The quantity updates when it completes."}
            </Alert>
          )}
          <Group align="flex-start">
            <NumberInput label="New quantity" min={1} allowDecimal={false} value={quantity} onChange={setQuantity} error={error} w={160} />
          </Group>
          <Group>
            <Button type="submit" loading={change.isPending}>
              Place change order
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
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
