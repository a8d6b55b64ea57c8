import { Anchor, AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, Outlet, useLocation, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { allowed, type Need } from "../lib/access";
import { errorMessage } from "../lib/errors";
import { humanise } from "../lib/format";
import { useLiveEvents } from "../lib/live-events";
import { signOut } from "../lib/session";
import { useMe } from "../lib/use-me";
import { queryClient } from "../trpc";
import { LiveIndicator } from "./LiveIndicator";
import { notifyError } from "./notify";

interface Entry {
  to: string;
  label: string;
  need?: Need;
}

const adminEntries: Entry[] = [
  { to: "/", label: "Dashboard" },
  { to: "/account", label: "My account", need: "admin" },
  { to: "/accounts", label: "Accounts", need: "seller" },
  { to: "/users", label: "Users", need: "admin" },
  { to: "/api-keys", label: "API keys", need: "admin" },
  { to: "/catalog", label: "Catalog", need: "admin" },
  { to: "/prices", label: "Prices", need: "seller" },
  { to: "/orders", label: "Orders", need: "admin" },
  { to: "/subscriptions", label: "Subscriptions" },
  { to: "/billing", label: "Billing", need: "admin" },
  { to: "/webhooks", label: "Webhooks", need: "seller" },
  { to: "/events", label: "Event log", need: "admin" },
  { to: "/operations", label: "Operations", need: "provider" },
  { to: "/profile", label: "My profile" },
];

const serviceEntries: Entry[] = [
  { to: "/", label: "My subscriptions" },
  { to: "/profile", label: "My profile" },
];

export function AppLayout() {
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);
  const live = useLiveEvents();
  const entries = (me.actor.role === "admin" ? adminEntries : serviceEntries).filter((e) => !e.need || allowed(me, e.need));

  async function leave() {
    setLeaving(true);
    try {
      await signOut();
      queryClient.clear();
      await navigate({ to: "/sign-in", search: { redirect: undefined, reason: "signed-out" } });
    } catch (error) {
      notifyError("Could not sign out", errorMessage(error));
    } finally {
      setLeaving(false);
    }
  }

  const isActive = (to: string) =>
    to === "/" ? location.pathname === "/" : location.pathname === to || location.pathname.startsWith(`${to}/`);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">
        Skip to content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? "Close navigation" : "Open navigation"}
            />
            <Title order={2} size="h4" c="canopy.8">
              Canopy
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="xs" truncate maw={260}>
              {me.account.name}
            </Text>
            <Badge variant="light" color="gray" visibleFrom="md">
              {humanise(me.account.type)} {me.actor.role === "admin" ? "administrator" : "service user"}
            </Badge>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LiveIndicator state={live} />
            <Text size="sm" visibleFrom="md">
              {me.user?.name}
            </Text>
            <Button variant="default" size="xs" onClick={leave} loading={leaving}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          <VisuallyHidden>
            <h2>Navigation</h2>
          </VisuallyHidden>
          {entries.map((entry) => (
            <NavLink
              key={entry.to}
              label={entry.label}
              active={isActive(entry.to)}
              aria-current={isActive(entry.to) ? "page" : undefined}
              onClick={close}
              renderRoot={(props) => <Link to={entry.to} {...props} />}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
