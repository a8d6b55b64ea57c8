import { Button, Card, PasswordInput, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { FormFailure } from "../../components/FormFailure";
import { notifySuccess } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { When } from "../../components/Values";
import { humanise } from "../../lib/format";
import { useMe } from "../../lib/use-me";
import { useSubmit } from "../../lib/use-submit";
import { trpc } from "../../trpc";

const passwordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password"),
    password: z.string().min(12, "Use at least 12 characters"),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });

export function ProfilePage() {
  const me = useMe();
  return (
    <Stack maw={720}>
      <PageHeader title="My profile" />
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Field label="Name" value={me.user?.name} />
          <Field label="Email" value={me.user?.email} />
          <Field label="Role" value={me.user ? (me.user.role === "admin" ? "Administrator" : "Service user") : undefined} />
          <Field label="Account" value={`${me.account.name} (${humanise(me.account.type)})`} />
          <Field label="Member since" value={<When iso={me.user?.createdAt} />} />
        </SimpleGrid>
      </Card>
      {me.user && <ChangePassword userId={me.user.id} />}
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text>{value ?? "—"}</Text>
    </div>
  );
}

function ChangePassword({ userId }: { userId: string }) {
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { currentPassword: "", password: "", confirm: "" },
    validate: schemaResolver(passwordSchema, { sync: true }),
  });
  const { failure, onSubmit } = useSubmit(form);
  const change = useMutation(trpc.users.setPassword.mutationOptions());
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Change my password
      </Title>
      <form
        noValidate
        onSubmit={onSubmit(async (values) => {
          // The current password proves it is the person at the keyboard, not a borrowed session.
          await change.mutateAsync({ id: userId, password: values.password, currentPassword: values.currentPassword });
          form.reset();
          notifySuccess("Your password is changed.");
        })}
      >
        <Stack maw={420}>
          <FormFailure message={failure} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            key={form.key("currentPassword")}
            {...form.getInputProps("currentPassword")}
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters"
            autoComplete="new-password"
            required
            key={form.key("password")}
            {...form.getInputProps("password")}
          />
          <PasswordInput
            label="New password again"
            autoComplete="new-password"
            required
            key={form.key("confirm")}
            {...form.getInputProps("confirm")}
          />
          <Button type="submit" loading={change.isPending} w="fit-content">
            Change password
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
