import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { AccountSelect } from "../../components/AccountSelect";
import { FormFailure } from "../../components/FormFailure";
import { notifySuccess } from "../../components/notify";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { useSubmit } from "../../lib/use-submit";
import { trpc } from "../../trpc";

const schema = z.object({
  accountId: z.string().min(1, "Choose an account"),
  role: z.enum(["admin", "service"]),
  name: z.string().trim().min(1, "Enter a name"),
  email: z.email("Enter an email address"),
  password: z.union([z.literal(""), z.string().min(12, "Use at least 12 characters, or leave empty to set it later")]),
});

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const me = useMe();
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { accountId: me.account.id, role: "service" as "admin" | "service", name: "", email: "", password: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  const { failure, onSubmit } = useSubmit(form);
  const create = useMutation(trpc.users.create.mutationOptions());
  return (
    <Modal opened={opened} onClose={onClose} title="Add user">
      <form
        noValidate
        onSubmit={onSubmit(async (values) => {
          const user = await create.mutateAsync({ ...values, password: values.password || undefined });
          await refreshAfter("user");
          notifySuccess(`${user.name} is added.`);
          form.reset();
          onClose();
        })}
      >
        <Stack>
          <FormFailure message={failure} />
          {me.account.type !== "customer" && (
            <AccountSelect label="Account" key={form.key("accountId")} {...form.getInputProps("accountId")} />
          )}
          <Select
            label="Role"
            allowDeselect={false}
            data={[
              { value: "service", label: "Service user: uses the services assigned to them" },
              { value: "admin", label: "Administrator: manages the account" },
            ]}
            key={form.key("role")}
            {...form.getInputProps("role")}
          />
          <TextInput label="Name" required key={form.key("name")} {...form.getInputProps("name")} />
          <TextInput label="Email" type="email" required key={form.key("email")} {...form.getInputProps("email")} />
          <PasswordInput
            label="First password"
            description="Optional: leave empty and set one later"
            autoComplete="new-password"
            key={form.key("password")}
            {...form.getInputProps("password")}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
