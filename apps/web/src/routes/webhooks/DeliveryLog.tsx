import { deliveryStatuses } from "@canopy/domain/statuses";
import { Button, Code, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { ChoiceFilter } from "../../components/ChoiceFilter";
import { ListBody } from "../../components/ListBody";
import { attempt } from "../../components/notify";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { LIVE_POLL_MS, pollWhile } from "../../lib/live";
import { byCursor, rowsOf } from "../../lib/paging";
import { trpc } from "../../trpc";

type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * Deliveries newest first, each with its attempts and a Retry: of one endpoint, of all the
 * caller's endpoints, or (`scope="subtree"`) of every endpoint in the caller's reach, with the
 * account that owns each endpoint and the endpoint's URL. The status filter is the caller's
 * (kept in its screen's URL); without `onStatusChange` there is no filter to change.
 */
export function DeliveryLog({
  endpointId,
  scope = "own",
  status,
  onStatusChange,
  title = "Delivery log",
  empty = "Deliveries appear here as events happen. Send a test message to try the endpoint.",
}: {
  endpointId?: string;
  scope?: "own" | "subtree";
  status?: DeliveryStatus;
  onStatusChange?: (status: DeliveryStatus | undefined) => void;
  title?: string;
  empty?: string;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    ...trpc.webhooks.deliveries.list.infiniteQueryOptions({ endpointId, status, scope, limit: 50 }, byCursor),
    // Every event re-reads the log while the stream is live (live-events.ts), so it polls for new
    // deliveries only while the stream is down. A delivery's attempts, though, change it without
    // an event: while one on show is pending, the log keeps polling to show how it ends.
    refetchInterval: (query) => (rowsOf(query.state).some((d) => d.status === "pending") ? LIVE_POLL_MS : pollWhile(true)),
  });
  const retry = useMutation(trpc.webhooks.deliveries.retry.mutationOptions());
  const rows = rowsOf(list);
  const wide = scope === "subtree";
  const columnCount = wide ? 7 : 6;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {title}
        </Title>
        {onStatusChange && (
          <ChoiceFilter label="Status" any="Any status" choices={deliveryStatuses} value={status} onChange={onStatusChange} width={160} />
        )}
      </Group>
      <ListBody list={list} empty={rows.length === 0 && <EmptyState title="No deliveries">{empty}</EmptyState>}>
        <Table.ScrollContainer minWidth={wide ? 800 : 640} type="native" tabIndex={0} role="region" aria-label={title}>
          <Table striped verticalSpacing="xs" data-testid="delivery-log">
            <caption className="visually-hidden">{title}</caption>
            <Table.Thead>
              <Table.Tr>
                {wide && <Table.Th>Owner and endpoint</Table.Th>}
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                {/* The two words wrapped first when the owner column squeezes the others (Operations at 1280 px). */}
                <Table.Th style={{ whiteSpace: "nowrap" }}>Last answer</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((d) => (
                <Fragment key={d.id}>
                  <Table.Tr data-delivery-id={d.id}>
                    {wide && (
                      <Table.Td miw={180}>
                        <Text size="sm" fw={500} title={d.account.id}>
                          {d.account.name}
                        </Text>
                        <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }}>
                          {d.endpointUrl}
                        </Text>
                      </Table.Td>
                    )}
                    <Table.Td>{d.eventType}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <StatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "—")}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <When iso={d.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          aria-expanded={open === d.id}
                          onClick={() => setOpen(open === d.id ? null : d.id)}
                        >
                          {open === d.id ? "Hide attempts" : "Attempts"}
                        </Button>
                        {d.status !== "pending" && (
                          <Button
                            size="compact-xs"
                            variant="light"
                            aria-label={`Retry the ${d.eventType} delivery${wide ? ` to ${d.account.name}` : ""}`}
                            onClick={() =>
                              attempt(
                                async () => {
                                  await retry.mutateAsync({ id: d.id });
                                  // pathKey: the log is an infinite query, which queryKey() (a plain query's) does not match.
                                  await queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.list.pathKey() });
                                },
                                { done: "The delivery is sent again.", failed: "Could not retry" },
                              )
                            }
                          >
                            Retry
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                  {open === d.id && (
                    <Table.Tr>
                      <Table.Td colSpan={columnCount}>
                        <Attempts id={d.id} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListBody>
      {list.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Attempts({ id }: { id: string }) {
  const detail = useQuery(trpc.webhooks.deliveries.get.queryOptions({ id }));
  if (detail.isPending) return <Loading label="Loading attempts…" />;
  if (detail.isError) return <ErrorState error={detail.error} />;
  if (detail.data.attemptLog.length === 0) return <Text size="sm">Not attempted yet.</Text>;
  return (
    <Stack gap="xs">
      {detail.data.attemptLog.map((a) => (
        <Stack key={a.id} gap={2}>
          <Text size="sm">
            <When iso={a.attemptedAt} /> · {a.statusCode ? `HTTP ${a.statusCode}` : "no answer"} · {a.durationMs} ms
            {a.error ? ` · ${a.error}` : ""}
          </Text>
          {a.responseBody && (
            <Code block style={{ maxHeight: 120, overflow: "auto" }}>
              {a.responseBody}
            </Code>
          )}
        </Stack>
      ))}
    </Stack>
  );
}
