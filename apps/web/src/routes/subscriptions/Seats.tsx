import { Button, Card, Group, List, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { attempt } from "../../components/notify";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { type RouterOutputs, trpc } from "../../trpc";

type Subscription = RouterOutputs["subscriptions"]["get"];

/** Who holds a seat; administrators assign the account's service users, up to the quantity. */
export function Seats({ subscription: s, canManage }: { subscription: Subscription; canManage: boolean }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const users = useQuery({ ...trpc.users.list.queryOptions({ accountId: s.accountId, status: "active", limit: 200 }), enabled: canManage });
  const assign = useMutation(trpc.subscriptions.assignUser.mutationOptions());
  const unassign = useMutation(trpc.subscriptions.unassignUser.mutationOptions());
  const byId = new Map((users.data?.items ?? []).map((u) => [u.id, u]));
  const free = s.quantity - s.assignedUserIds.length;
  const candidates = (users.data?.items ?? []).filter((u) => !s.assignedUserIds.includes(u.id));

  const act = (run: () => Promise<Subscription>, done: string) =>
    attempt(
      async () => {
        queryClient.setQueryData(trpc.subscriptions.get.queryKey({ id: s.id }), await run());
        setPicked(null);
        // The seats used on the subscriptions list, even with the live stream down.
        await refreshAfter("subscription");
      },
      { done, failed: "Could not change the seats" },
    );

  const nameOf = (id: string) => (id === me.user?.id ? `${me.user.name} (you)` : (byId.get(id)?.name ?? id));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Seats
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {s.assignedUserIds.length} of {s.quantity} assigned
      </Text>
      <Stack gap="sm">
        {s.assignedUserIds.length === 0 ? (
          <Text size="sm">Nobody holds a seat yet.{canManage ? " Assign a service user below." : ""}</Text>
        ) : (
          <List spacing="xs" listStyleType="none" aria-label="Seat holders">
            {s.assignedUserIds.map((id) => (
              <List.Item key={id}>
                <Group gap="sm">
                  <Text size="sm">{nameOf(id)}</Text>
                  {canManage && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Unassign ${nameOf(id)}`}
                      onClick={() => act(() => unassign.mutateAsync({ id: s.id, userId: id }), `${nameOf(id)} no longer holds a seat.`)}
                    >
                      Unassign
                    </Button>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        {canManage && (
          <Group align="flex-end" gap="sm">
            <Select
              label="Assign a seat to"
              placeholder={free > 0 ? "Choose a user" : "Every seat is taken"}
              disabled={free <= 0}
              searchable
              data={candidates.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
              value={picked}
              onChange={setPicked}
              w={{ base: "100%", xs: 320 }}
            />
            <Button
              disabled={!picked || free <= 0}
              loading={assign.isPending}
              onClick={() => picked && act(() => assign.mutateAsync({ id: s.id, userId: picked }), `${nameOf(picked)} holds a seat.`)}
            >
              Assign
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
