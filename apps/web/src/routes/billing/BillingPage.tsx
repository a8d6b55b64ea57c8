import { Stack, Tabs } from "@mantine/core";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { PageHeader } from "../../components/PageHeader";
import { allowed } from "../../lib/access";
import { useMe } from "../../lib/use-me";
import { MarginReport } from "./MarginReport";
import { StatementsList } from "./StatementsList";

const route = getRouteApi("/_app/billing");

/** Statements for every administrator; the margin report for accounts that bill others (resellers, the provider). */
export function BillingPage() {
  const me = useMe();
  const seller = allowed(me, "seller");
  // The tab is in the URL with the filters (lib/search.ts): a reload, Back or a shared link opens the same one.
  const { tab } = route.useSearch();
  const navigate = useNavigate({ from: "/billing" });
  return (
    <Stack>
      <PageHeader
        title="Billing"
        description={
          seller
            ? "Monthly statements your account owes and bills, and those of the accounts below it"
            : "Monthly statements of what your account owes"
        }
      />
      {seller ? (
        <Tabs
          value={tab ?? "statements"}
          onChange={(v) => navigate({ search: (prev) => ({ ...prev, tab: v === "margin" ? "margin" : undefined }), replace: true })}
          keepMounted={false}
        >
          <Tabs.List mb="md">
            <Tabs.Tab value="statements">Statements</Tabs.Tab>
            <Tabs.Tab value="margin">Margin</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="statements">
            <StatementsList />
          </Tabs.Panel>
          <Tabs.Panel value="margin">
            <MarginReport />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <StatementsList />
      )}
    </Stack>
  );
}
