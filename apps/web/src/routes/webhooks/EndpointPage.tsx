import { type EventType, eventTypes } from "@canopy/domain/event-types";
import { Alert, Breadcrumbs, Button, Card, Group, MultiSelect, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmButton } from "../../components/ConfirmButton";
import { AnchorLink } from "../../components/Links";
import { attempt } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { SecretOnce } from "../../components/SecretOnce";
import { ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { refreshAfter } from "../../lib/refresh";
import { trpc } from "../../trpc";
import { DeliveryLog } from "./DeliveryLog";

const route = getRouteApi("/_app/webhooks/$endpointId");

/** A local date-time input's value ("2025-01-31T09:30"), read in the viewer's zone. */
const toLocalInput = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function EndpointPage() {
  const { endpointId } = route.useParams();
  const search = route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const endpoint = useQuery(trpc.webhooks.endpoints.get.queryOptions({ id: endpointId }));
  const [secret, setSecret] = useState<string | null>(null);
  const [types, setTypes] = useState<EventType[] | null>(null);
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 24 * 3600_000)));
  const update = useMutation(trpc.webhooks.endpoints.update.mutationOptions());
  const enable = useMutation(trpc.webhooks.endpoints.enable.mutationOptions());
  const disable = useMutation(trpc.webhooks.endpoints.disable.mutationOptions());
  const rotate = useMutation(trpc.webhooks.endpoints.rotateSecret.mutationOptions());
  const recover = useMutation(trpc.webhooks.endpoints.recover.mutationOptions());
  const sendTest = useMutation(trpc.webhooks.endpoints.sendTest.mutationOptions());
  const remove = useMutation(trpc.webhooks.endpoints.delete.mutationOptions());

  if (endpoint.isPending) return <Loading />;
  if (endpoint.isError) return <ErrorState error={endpoint.error} onRetry={() => endpoint.refetch()} />;
  const e = endpoint.data;
  /** Shows the endpoint as a change left it at once, and has the list of endpoints re-read it. */
  const show = (saved: typeof e) => {
    queryClient.setQueryData(trpc.webhooks.endpoints.get.queryKey({ id: e.id }), saved);
    return refreshAfter("webhook");
  };
  // pathKey: the log is an infinite query, which queryKey() (a plain query's) does not match.
  const refreshLog = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.list.pathKey() });

  function act<T>(run: () => Promise<T>, done: (result: T) => string) {
    return attempt(run, { done, failed: "That did not work" });
  }

  return (
    <Stack>
      <Breadcrumbs>
        <AnchorLink to="/webhooks">Webhooks</AnchorLink>
        <Text style={{ wordBreak: "break-all" }}>{e.url}</Text>
      </Breadcrumbs>
      <PageHeader
        title="Webhook endpoint"
        description={
          <>
            {e.id} · <StatusBadge status={e.enabled ? "enabled" : "disabled"} />
          </>
        }
        actions={
          <>
            <Button
              variant="default"
              loading={sendTest.isPending}
              disabled={!e.enabled}
              onClick={async () => {
                await act(
                  () => sendTest.mutateAsync({ id: e.id }),
                  (d) =>
                    d.status === "succeeded"
                      ? "The test message was delivered."
                      : `The test message failed: ${d.lastError ?? `HTTP ${d.lastStatus}`}`,
                );
                await refreshLog();
              }}
            >
              Send test
            </Button>
            {e.enabled ? (
              <ConfirmButton
                color="orange"
                title="Disable this endpoint?"
                message="Nothing is sent while it is disabled. Events keep being recorded: recover them after re-enabling."
                confirmLabel="Disable"
                onConfirm={async () => {
                  const saved = await act(
                    () => disable.mutateAsync({ id: e.id }),
                    () => "The endpoint is disabled.",
                  );
                  if (saved) await show(saved);
                }}
              >
                Disable
              </ConfirmButton>
            ) : (
              <Button
                variant="light"
                onClick={async () => {
                  const saved = await act(
                    () => enable.mutateAsync({ id: e.id }),
                    () => "The endpoint is enabled.",
                  );
                  if (saved) await show(saved);
                }}
              >
                Enable
              </Button>
            )}
            <ConfirmButton
              title="Delete this endpoint?"
              message="Nothing more is sent to it, and its delivery log is deleted."
              confirmLabel="Delete endpoint"
              onConfirm={async () => {
                const done = await act(
                  () => remove.mutateAsync({ id: e.id }),
                  () => "The endpoint is deleted.",
                );
                if (done) {
                  // Away first: re-read here, the deleted endpoint would answer not found.
                  await navigate({ to: "/webhooks" });
                  await refreshAfter("webhook");
                }
              }}
            >
              Delete
            </ConfirmButton>
          </>
        }
      />
      {!e.enabled && e.disabledReason && (
        <Alert color="orange" title="Disabled">
          {e.disabledReason}
        </Alert>
      )}
      {secret && <SecretOnce label="The new signing secret" secret={secret} onDone={() => setSecret(null)} />}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Events sent
          </Title>
          <Stack gap="sm">
            <MultiSelect
              label="Event types"
              description="Empty: every event"
              data={[...eventTypes]}
              searchable
              clearable
              value={types ?? (e.eventTypes as EventType[])}
              onChange={(v) => setTypes(v as EventType[])}
            />
            <Group>
              <Button
                disabled={types === null}
                loading={update.isPending}
                onClick={async () => {
                  const saved = await act(
                    () => update.mutateAsync({ id: e.id, eventTypes: types ?? [] }),
                    () => "Saved.",
                  );
                  if (saved) {
                    setTypes(null);
                    await show(saved);
                  }
                }}
              >
                Save filter
              </Button>
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Signing secret
          </Title>
          <Stack gap="sm">
            <Text size="sm">
              {e.previousSecretExpiresAt ? (
                <>
                  The previous secret also signs until <When iso={e.previousSecretExpiresAt} />.
                </>
              ) : (
                "Rotate it if it may have leaked: the old one keeps signing for 24 hours while you switch."
              )}
            </Text>
            <Group>
              <ConfirmButton
                color="canopy"
                title="Rotate the signing secret?"
                message="A new secret is shown once. Messages carry both signatures for the next 24 hours."
                confirmLabel="Rotate"
                onConfirm={async () => {
                  const answer = await act(
                    () => rotate.mutateAsync({ id: e.id }),
                    () => "A new secret is issued.",
                  );
                  if (answer) {
                    setSecret(answer.secret);
                    await show(answer.endpoint);
                  }
                }}
              >
                Rotate secret
              </ConfirmButton>
            </Group>
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Recover missed messages
        </Title>
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Since"
            type="datetime-local"
            value={since}
            onChange={(ev) => setSince(ev.currentTarget.value)}
            w={{ base: "100%", xs: 240 }}
          />
          <Button
            variant="light"
            disabled={!e.enabled || !since}
            loading={recover.isPending}
            onClick={async () => {
              await act(
                () => recover.mutateAsync({ id: e.id, since: new Date(since).toISOString() }),
                (r) => `${r.queued} message(s) queued again.`,
              );
              await refreshLog();
            }}
          >
            Recover
          </Button>
        </Group>
      </Card>
      <DeliveryLog
        endpointId={e.id}
        status={search.status}
        onStatusChange={(status) =>
          navigate({ to: "/webhooks/$endpointId", params: { endpointId: e.id }, search: { status }, replace: true })
        }
      />
    </Stack>
  );
}
