import { Button, Code, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { ChoiceFilter } from "../../components/ChoiceFilter";
import { ListBody } from "../../components/ListBody";
import { attempt } from "../../components/notify";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { LIVE_POLL_MS } from "../../lib/live";
import { byCursor, rowsOf } from "../../lib/paging";
import { trpc } from "../../trpc";

const statuses = ["pending", "succeeded", "failed"] as const;

/** The deliveries of one endpoint (or all of the caller's endpoints), newest first, each with its attempts. */
export function DeliveryLog({
  endpointId,
  status: fixedStatus,
  title = "Delivery log",
}: {
  endpointId?: string;
  status?: (typeof statuses)[number];
  title?: string;
}) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<(typeof statuses)[number] | undefined>(fixedStatus);
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    ...trpc.webhooks.deliveries.list.infiniteQueryOptions({ endpointId, status, limit: 50 }, byCursor),
    // New deliveries arrive as events happen: the log follows them while it is on screen.
    refetchInterval: LIVE_POLL_MS,
  });
  const retry = useMutation(trpc.webhooks.deliveries.retry.mutationOptions());
  const rows = rowsOf(list);

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {title}
        </Title>
        {!fixedStatus && (
          <ChoiceFilter label="Status" any="Any status" choices={statuses} value={status} onChange={setStatus} width={160} />
        )}
      </Group>
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState title="No deliveries">Deliveries appear here as events happen. Send a test message to try the endpoint.</EmptyState>
          )
        }
      >
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0} role="region" aria-label={title}>
          <Table striped verticalSpacing="xs" data-testid="delivery-log">
            <caption className="visually-hidden">{title}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Last answer</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((d) => (
                <Fragment key={d.id}>
                  <Table.Tr>
                    <Table.Td>{d.eventType}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>{d.lastStatus ? `HTTP ${d.lastStatus}` : (d.lastError ?? "—")}</Table.Td>
                    <Table.Td>
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
                            onClick={() =>
                              attempt(
                                async () => {
                                  await retry.mutateAsync({ id: d.id });
                                  await queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.list.queryKey() });
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
                      <Table.Td colSpan={6}>
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
