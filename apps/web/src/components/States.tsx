import { Alert, Button, Center, Group, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { type ErrorComponentProps, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { errorMessage, isConflict } from "../lib/errors";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">{label}</Text>
      </Group>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" title="Could not load this" role="alert">
      <Stack gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap="xs" ta="center">
        <Text fw={600}>{title}</Text>
        {children && (
          <Text c="dimmed" size="sm" maw={480}>
            {children}
          </Text>
        )}
        {action}
      </Stack>
    </Paper>
  );
}

/** A stale version: someone else changed the record since it was loaded. */
export function ConflictAlert({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!isConflict(error)) return null;
  return (
    <Alert color="yellow" title="Changed by someone else" role="alert">
      <Stack gap="xs">
        <Text size="sm">This record was changed since you opened it. Reload to see the latest version, then make your change again.</Text>
        <Group>
          <Button size="xs" onClick={onReload}>
            Reload
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

export function NotFound() {
  return (
    <Stack p="xl" align="flex-start">
      <Title order={1}>Not found</Title>
      <Text>There is nothing here, or it is not within your reach.</Text>
      <Button component={Link} to="/">
        Go to the dashboard
      </Button>
    </Stack>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <Stack p="md">
      <ErrorState error={error} onRetry={reset} />
    </Stack>
  );
}
