import { Button, Group, Stack } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { ListBody } from "../../components/ListBody";
import { attempt } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { type RouterOutputs, trpc } from "../../trpc";
import { CreateUserModal } from "./CreateUserModal";
import { SetPasswordModal } from "./SetPasswordModal";

type User = RouterOutputs["users"]["list"]["items"][number];

export function UsersPage() {
  const me = useMe();
  const [creating, createModal] = useDisclosure(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const list = useInfiniteQuery(trpc.users.list.infiniteQueryOptions({ limit: 50 }, byCursor));
  const disable = useMutation(trpc.users.disable.mutationOptions());
  const enable = useMutation(trpc.users.enable.mutationOptions());
  const rows = rowsOf(list);

  const act = (run: () => Promise<unknown>, done: string) =>
    attempt(
      async () => {
        await run();
        await refreshAfter("user");
      },
      { done, failed: "Could not change the user" },
    );

  return (
    <Stack>
      <PageHeader
        title="Users"
        description={
          me.account.type === "customer"
            ? "People who sign in to your account"
            : "People who sign in to your account and the accounts below it"
        }
        actions={<Button onClick={createModal.open}>Add user</Button>}
      />
      <ListBody
        list={list}
        empty={rows.length === 0 && <EmptyState title="No users yet" action={<Button onClick={createModal.open}>Add user</Button>} />}
      >
        <DataTable
          caption="Users"
          rows={rows}
          rowKey={(u) => u.id}
          more={moreOf(list)}
          columns={[
            { label: "Name", render: (u) => u.name },
            { label: "Email", render: (u) => u.email },
            { label: "Role", render: (u) => (u.role === "admin" ? "Administrator" : "Service user") },
            { label: "Account", render: (u) => (u.accountId === me.account.id ? "Yours" : u.accountId) },
            { label: "Status", render: (u) => <StatusBadge status={u.status} /> },
            { label: "Created", render: (u) => <When iso={u.createdAt} /> },
            {
              label: "Actions",
              render: (u) =>
                u.id === me.user?.id ? null : (
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setResetting(u)}>
                      Set password
                    </Button>
                    {u.status === "active" ? (
                      <ConfirmButton
                        size="xs"
                        title={`Disable ${u.name}?`}
                        message="They are signed out and cannot sign in until re-enabled."
                        confirmLabel="Disable"
                        onConfirm={() => act(() => disable.mutateAsync({ id: u.id }), `${u.name} is disabled.`)}
                      >
                        Disable
                      </ConfirmButton>
                    ) : (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => act(() => enable.mutateAsync({ id: u.id }), `${u.name} is enabled.`)}
                      >
                        Enable
                      </Button>
                    )}
                  </Group>
                ),
            },
          ]}
        />
      </ListBody>
      <CreateUserModal opened={creating} onClose={createModal.close} />
      <SetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </Stack>
  );
}
