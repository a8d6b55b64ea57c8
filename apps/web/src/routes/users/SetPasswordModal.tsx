import { Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { FormFailure } from "../../components/FormFailure";
import { notifySuccess } from "../../components/notify";
import { useSubmit } from "../../lib/use-submit";
import type { RouterOutputs } from "../../trpc";
import { trpc } from "../../trpc";

const schema = z.object({ password: z.string().min(12, "Use at least 12 characters") });

/** An administrator sets a user's password: a first one, or a new one when they lost theirs. */
export function SetPasswordModal({ user, onClose }: { user: RouterOutputs["users"]["list"]["items"][number] | null; onClose: () => void }) {
  const form = useForm({ mode: "uncontrolled", initialValues: { password: "" }, validate: schemaResolver(schema, { sync: true }) });
  const { failure, setFailure, onSubmit } = useSubmit(form);
  const set = useMutation(trpc.users.setPassword.mutationOptions());
  const close = () => {
    form.reset();
    setFailure(null);
    onClose();
  };
  return (
    <Modal opened={user !== null} onClose={close} title={`Set a password for ${user?.name ?? ""}`}>
      <form
        noValidate
        onSubmit={onSubmit(async ({ password }) => {
          if (!user) return;
          await set.mutateAsync({ id: user.id, password });
          notifySuccess(`The password of ${user.name} is set. Tell them through a channel you trust.`);
          close();
        })}
      >
        <Stack>
          <Text size="sm">{user?.email}</Text>
          <FormFailure message={failure} />
          <PasswordInput
            label="New password"
            description="At least 12 characters"
            autoComplete="new-password"
            required
            key={form.key("password")}
            {...form.getInputProps("password")}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={set.isPending}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
