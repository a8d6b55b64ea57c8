import { Button, type ButtonProps, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import type { ReactNode } from "react";

interface Props extends ButtonProps {
  /** What the dialog asks ("Cancel this order?"). */
  title: string;
  /** What will happen, in plain words. */
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | undefined;
  children: ReactNode;
}

/** A destructive action behind a confirmation dialog; the dialog stays open until the action settles. */
export function ConfirmButton({ title, message, confirmLabel, onConfirm, children, color = "red", ...button }: Props) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color={color} variant="light" {...button} onClick={open}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Stack>
          <Text size="sm">{message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              Keep it
            </Button>
            <Button
              color={color}
              loading={button.loading}
              onClick={async () => {
                try {
                  await onConfirm();
                } finally {
                  close();
                }
              }}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
