import { type EventType, eventTypes } from "@canopy/domain/event-types";
import { Button, Group, MultiSelect, Paper, Stack, TextInput, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { DataTable } from "../../components/DataTable";
import { FormFailure } from "../../components/FormFailure";
import { AnchorLink } from "../../components/Links";
import { PageHeader } from "../../components/PageHeader";
import { SecretOnce } from "../../components/SecretOnce";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { refreshAfter } from "../../lib/refresh";
import { useSubmit } from "../../lib/use-submit";
import { trpc } from "../../trpc";

const schema = z.object({
  url: z.url({ protocol: /^https?$/, error: "Enter the full URL, such as https://example.com/hooks" }),
  description: z.string().trim().max(500),
  eventTypes: z.array(z.enum(eventTypes)),
});

export function WebhooksPage() {
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const list = useQuery(trpc.webhooks.endpoints.list.queryOptions({ limit: 200 }));
  const create = useMutation(trpc.webhooks.endpoints.create.mutationOptions());
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { url: "", description: "", eventTypes: [] as EventType[] },
    validate: schemaResolver(schema, { sync: true }),
  });
  const { failure, onSubmit } = useSubmit(form);

  return (
    <Stack>
      <PageHeader title="Webhooks" description="Canopy signs and sends every event of your tree to these URLs (Standard Webhooks)." />
      {created && <SecretOnce label="The signing secret of the new endpoint" secret={created.secret} onDone={() => setCreated(null)} />}
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          Add an endpoint
        </Title>
        <form
          noValidate
          onSubmit={onSubmit(async (values) => {
            const answer = await create.mutateAsync({
              url: values.url,
              description: values.description || undefined,
              eventTypes: values.eventTypes,
            });
            setCreated({ id: answer.endpoint.id, secret: answer.secret });
            form.reset();
            await refreshAfter("webhook");
          })}
        >
          <Stack gap="sm">
            <FormFailure message={failure} />
            <TextInput
              label="URL"
              placeholder="https://example.com/canopy-hooks"
              required
              key={form.key("url")}
              {...form.getInputProps("url")}
            />
            <TextInput label="Description" key={form.key("description")} {...form.getInputProps("description")} />
            <MultiSelect
              label="Event types"
              description="Leave empty to receive every event"
              data={[...eventTypes]}
              searchable
              clearable
              key={form.key("eventTypes")}
              {...form.getInputProps("eventTypes")}
            />
            <Group>
              <Button type="submit" loading={create.isPending}>
                Add endpoint
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="No endpoints yet">
          Add the URL of your system above to be told of orders, subscriptions and accounts as they change.
        </EmptyState>
      ) : (
        <DataTable
          caption="Webhook endpoints"
          rows={list.data.items}
          rowKey={(e) => e.id}
          columns={[
            {
              label: "URL",
              render: (e) => (
                <AnchorLink to="/webhooks/$endpointId" params={{ endpointId: e.id }} style={{ wordBreak: "break-all" }}>
                  {e.url}
                </AnchorLink>
              ),
            },
            { label: "Events", render: (e) => (e.eventTypes.length === 0 ? "All" : e.eventTypes.join(", ")) },
            { label: "Status", render: (e) => <StatusBadge status={e.enabled ? (e.failingSince ? "failed" : "enabled") : "disabled"} /> },
            { label: "Created", render: (e) => <When iso={e.createdAt} /> },
          ]}
        />
      )}
    </Stack>
  );
}
