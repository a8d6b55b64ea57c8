import { Button, Group, Paper, Stack, Switch, TextInput } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { AccountSelect } from "../../components/AccountSelect";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { FormFailure } from "../../components/FormFailure";
import { ListBody } from "../../components/ListBody";
import { attempt } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { SecretOnce } from "../../components/SecretOnce";
import { EmptyState } from "../../components/States";
import { When } from "../../components/Values";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { useSubmit } from "../../lib/use-submit";
import { trpc } from "../../trpc";

const schema = z.object({
  name: z.string().trim().min(1, "Name the key after the program that will use it"),
  accountId: z.string().min(1),
});

export function ApiKeysPage() {
  const me = useMe();
  const [secret, setSecret] = useState<string | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const list = useInfiniteQuery(trpc.apiKeys.list.infiniteQueryOptions({ limit: 50, includeRevoked: showRevoked }, byCursor));
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { name: "", accountId: me.account.id },
    validate: schemaResolver(schema, { sync: true }),
  });
  const { failure, onSubmit } = useSubmit(form);
  const rows = rowsOf(list);

  return (
    <Stack>
      <PageHeader title="API keys" description="Keys let your programs call the Canopy API with administrator rights on an account." />
      {secret && <SecretOnce label="Your new API key" secret={secret} onDone={() => setSecret(null)} />}
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={onSubmit(async (values) => {
            const created = await create.mutateAsync(values);
            setSecret(created.secret);
            form.reset();
            await refreshAfter("apiKey");
          })}
        >
          <Stack gap="sm">
            <FormFailure message={failure} />
            <Group align="flex-start" gap="sm">
              <TextInput
                label="Key name"
                placeholder="Billing integration"
                required
                key={form.key("name")}
                {...form.getInputProps("name")}
                w={{ base: "100%", xs: 260 }}
              />
              {me.account.type !== "customer" && (
                <AccountSelect
                  label="For account"
                  key={form.key("accountId")}
                  {...form.getInputProps("accountId")}
                  w={{ base: "100%", xs: 260 }}
                />
              )}
            </Group>
            <Group>
              <Button type="submit" loading={create.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Switch label="Show revoked keys" checked={showRevoked} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState title="No API keys">
              Create a key for each program that talks to Canopy, so that you can revoke one without the others.
            </EmptyState>
          )
        }
      >
        <DataTable
          caption="API keys"
          rows={rows}
          rowKey={(k) => k.id}
          more={moreOf(list)}
          columns={[
            { label: "Name", render: (k) => k.name },
            { label: "Starts with", render: (k) => <code>{k.prefix}…</code> },
            { label: "Account", render: (k) => (k.accountId === me.account.id ? "Yours" : k.accountId) },
            { label: "Created", render: (k) => <When iso={k.createdAt} /> },
            { label: "Last used", render: (k) => <When iso={k.lastUsedAt} /> },
            {
              label: "Actions",
              render: (k) =>
                k.revokedAt ? (
                  <>
                    Revoked <When iso={k.revokedAt} />
                  </>
                ) : (
                  <ConfirmButton
                    size="xs"
                    title={`Revoke ${k.name}?`}
                    message="Programs using this key are refused from now on. This cannot be undone."
                    confirmLabel="Revoke"
                    onConfirm={() =>
                      attempt(
                        async () => {
                          await revoke.mutateAsync({ id: k.id });
                          await refreshAfter("apiKey");
                        },
                        { done: `${k.name} is revoked.`, failed: "Could not revoke the key" },
                      )
                    }
                  >
                    Revoke
                  </ConfirmButton>
                ),
            },
          ]}
        />
      </ListBody>
    </Stack>
  );
}
