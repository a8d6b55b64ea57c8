import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { notifySuccess } from "../../components/notify";
import { errorMessage } from "../../lib/errors";
import { refreshAfter } from "../../lib/refresh";
import { applyFieldErrors } from "../../lib/use-form-errors";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { accountDetailsSchema, DetailsFields, detailsToInput, nestedFields } from "../account/AccountForm";

const schema = accountDetailsSchema.extend({ type: z.enum(["reseller", "customer"]), vendorId: z.string() });
type Values = z.infer<typeof schema>;

export function CreateAccountModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const resellers = useQuery({ ...trpc.accounts.list.queryOptions({ type: "reseller", status: "active", limit: 200 }), enabled: opened });
  const form = useForm<Values>({
    mode: "uncontrolled",
    initialValues: {
      type: "customer",
      vendorId: me.account.id,
      name: "",
      externalId: "",
      contact: { email: "", phone: "" },
      address: { country: "", city: "", line1: "", postalCode: "" },
    },
    validate: schemaResolver(schema, { sync: true }),
  });
  const create = useMutation(trpc.accounts.create.mutationOptions());
  const vendors = [
    { value: me.account.id, label: `${me.account.name} (you)` },
    ...(resellers.data?.items ?? []).filter((r) => r.id !== me.account.id).map((r) => ({ value: r.id, label: r.name })),
  ];

  return (
    <Modal opened={opened} onClose={onClose} title="Create account" size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setFailure(null);
          try {
            const created = await create.mutateAsync({
              type: values.type,
              vendorId: values.vendorId,
              externalId: values.externalId.trim() || undefined,
              ...detailsToInput(values),
            });
            await refreshAfter("account");
            notifySuccess(`${created.name} is created.`);
            form.reset();
            onClose();
            await navigate({ to: "/accounts/$accountId", params: { accountId: created.id } });
          } catch (error) {
            if (!applyFieldErrors(form, error, nestedFields)) setFailure(errorMessage(error));
          }
        })}
      >
        <Stack>
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Stack gap={4}>
            <Text size="sm" fw={500} id="account-type-label">
              Type
            </Text>
            <SegmentedControl
              aria-labelledby="account-type-label"
              data={[
                { value: "customer", label: "Customer" },
                { value: "reseller", label: "Reseller" },
              ]}
              key={form.key("type")}
              {...form.getInputProps("type")}
            />
          </Stack>
          <Select
            label="Vendor"
            description="Who sells to the new account"
            data={vendors}
            allowDeselect={false}
            key={form.key("vendorId")}
            {...form.getInputProps("vendorId")}
          />
          <DetailsFields form={form} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
