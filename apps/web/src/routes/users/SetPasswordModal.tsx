import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { notifySuccess } from "../../components/notify";
import { errorMessage } from "../../lib/errors";
import { applyFieldErrors } from "../../lib/use-form-errors";
import type { RouterOutputs } from "../../trpc";
import { trpc } from "../../trpc";

const schema = z.object({ password: z.string().min(12, "Use at least 12 characters") });

/** An administrator sets a user's password: a first one, or a new one when they lost theirs. */
export function SetPasswordModal({ user, onClose }: { user: RouterOutputs["users"]["list"]["items"][number] | null; onClose: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({ mode: "uncontrolled", initialValues: { password: "" }, validate: schemaResolver(schema, { sync: true }) });
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
        onSubmit={form.onSubmit(async ({ password }) => {
          if (!user) return;
          setFailure(null);
          try {
            await set.mutateAsync({ id: user.id, password });
            notifySuccess(`The password of ${user.name} is set. Tell them through a channel you trust.`);
            close();
          } catch (error) {
            if (!applyFieldErrors(form, error)) setFailure(errorMessage(error));
          }
        })}
      >
        <Stack>
          <Text size="sm">{user?.email}</Text>
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
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
