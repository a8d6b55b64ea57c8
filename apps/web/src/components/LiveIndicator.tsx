import { Box, Group, Text } from "@mantine/core";
import type { LiveState } from "../lib/live";

const looks: Record<LiveState, { color: string; label: string; hint: string }> = {
  live: { color: "var(--mantine-color-green-6)", label: "Live", hint: "Changes made elsewhere appear here as they happen" },
  connecting: { color: "var(--mantine-color-yellow-6)", label: "Reconnecting…", hint: "Connecting to live updates" },
  offline: { color: "var(--mantine-color-gray-5)", label: "Offline", hint: "Live updates are unavailable; screens refresh on their own" },
};

/** A small dot with a word in the header: whether the panel's event stream is connected. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const look = looks[state];
  return (
    // A title rather than Mantine's Tooltip: the header is in the first load, and Tooltip alone adds ~10 KiB gzip.
    <Group
      gap={6}
      wrap="nowrap"
      data-testid="live"
      data-state={state}
      role="status"
      title={look.hint}
      aria-label={`Live updates: ${look.label}`}
    >
      <Box w={8} h={8} style={{ borderRadius: "50%", background: look.color }} aria-hidden />
      <Text size="xs" c="dimmed" visibleFrom="xs">
        {look.label}
      </Text>
    </Group>
  );
}
