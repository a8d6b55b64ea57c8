import { Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmButton } from "../../components/ConfirmButton";
import { AnchorLink } from "../../components/Links";
import { notifyError, notifySuccess } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { ConflictAlert, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { errorMessage, isConflict } from "../../lib/errors";
import { humanise } from "../../lib/format";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { AccountForm } from "../account/AccountForm";
import { AccountsTable } from "./AccountsTable";

type Status = "active" | "creditHold" | "adminHold" | "cancelled";

/** One account: its details (editable with its version), its status actions and what sits below it. */
export function AccountView({ accountId, own = false }: { accountId: string; own?: boolean }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const account = useQuery(trpc.accounts.get.queryOptions({ id: accountId }));
  const children = useQuery({
    ...trpc.accounts.list.queryOptions({ vendorId: accountId, limit: 50 }),
    enabled: account.data !== undefined && account.data.type !== "customer",
  });
  const setStatus = useMutation(trpc.accounts.setStatus.mutationOptions());
  const [conflict, setConflict] = useState<unknown>(null);

  if (account.isPending) return <Loading />;
  if (account.isError) return <ErrorState error={account.error} onRetry={() => account.refetch()} />;
  const a = account.data;
  const reload = () => {
    setConflict(null);
    void queryClient.invalidateQueries({ queryKey: trpc.accounts.get.queryKey({ id: accountId }) });
  };
  // An account's status is changed by those above it: the provider for anyone, a reseller strictly below itself.
  const canChangeStatus = !own && a.id !== me.account.id && me.account.type !== "customer";

  async function changeStatus(status: Status, done: string) {
    setConflict(null);
    try {
      const saved = await setStatus.mutateAsync({ id: a.id, status, version: a.version });
      queryClient.setQueryData(trpc.accounts.get.queryKey({ id: a.id }), saved);
      await refreshAfter("account");
      notifySuccess(done);
    } catch (error) {
      if (isConflict(error)) setConflict(error);
      else notifyError("Could not change the status", errorMessage(error));
    }
  }

  return (
    <Stack>
      {!own && (
        <Breadcrumbs>
          <AnchorLink to="/accounts">Accounts</AnchorLink>
          <Text>{a.name}</Text>
        </Breadcrumbs>
      )}
      <PageHeader
        title={own ? "My account" : a.name}
        description={
          <>
            {humanise(a.type)} · {a.id} · <StatusBadge status={a.status} />
          </>
        }
        actions={
          canChangeStatus && a.status !== "cancelled" ? (
            <>
              {a.status === "active" ? (
                <>
                  <Button variant="default" onClick={() => changeStatus("creditHold", "Put on credit hold.")} loading={setStatus.isPending}>
                    Credit hold
                  </Button>
                  <ConfirmButton
                    title="Suspend services?"
                    message="An administrative hold suspends every subscription of this account and of the accounts below it until it is released."
                    confirmLabel="Put on admin hold"
                    color="orange"
                    onConfirm={() => changeStatus("adminHold", "Put on admin hold.")}
                  >
                    Admin hold
                  </ConfirmButton>
                </>
              ) : (
                <Button onClick={() => changeStatus("active", "Hold released.")} loading={setStatus.isPending}>
                  Release hold
                </Button>
              )}
              <ConfirmButton
                title={`Cancel ${a.name}?`}
                message="Cancelling is final: its subscriptions and those of every account below it are terminated, and nothing can be changed afterwards."
                confirmLabel="Cancel the account"
                onConfirm={() => changeStatus("cancelled", "Account cancelled.")}
              >
                Cancel account
              </ConfirmButton>
            </>
          ) : undefined
        }
      />
      {conflict !== null && <ConflictAlert error={conflict} onReload={reload} />}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 3 }} mb="md">
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Created
            </Text>
            <When iso={a.createdAt} />
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Last changed
            </Text>
            <When iso={a.updatedAt} />
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Vendor
            </Text>
            {a.vendorId ?? "—"}
          </div>
        </SimpleGrid>
        {a.status === "cancelled" ? (
          <Text c="dimmed">A cancelled account cannot be changed.</Text>
        ) : (
          <AccountForm key={a.version} account={a} onReload={reload} />
        )}
      </Card>
      {a.type !== "customer" && (
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h4">
              Accounts directly below
            </Title>
          </Group>
          {children.isPending ? (
            <Loading />
          ) : children.isError ? (
            <ErrorState error={children.error} onRetry={() => children.refetch()} />
          ) : children.data.items.length === 0 ? (
            <Text c="dimmed" size="sm">
              None yet. Create resellers and customers from the Accounts screen.
            </Text>
          ) : (
            <AccountsTable rows={children.data.items} caption={`Accounts directly below ${a.name}`} />
          )}
        </Stack>
      )}
    </Stack>
  );
}
