import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";

/** A secret the API returns once (API key, webhook signing secret): shown here and never again. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <Alert color="yellow" title={`${label}: copy it now`} role="status">
      <Stack gap="xs">
        <Text size="sm">This is the only time it is shown. Store it somewhere safe; if it is lost, create a new one.</Text>
        <Code block data-testid="secret" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
          {secret}
        </Code>
        <Group gap="xs">
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" color={copied ? "canopy.9" : undefined} onClick={copy}>
                {copied ? "Copied" : "Copy"}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
