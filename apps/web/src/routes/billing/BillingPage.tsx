import { Stack, Tabs } from "@mantine/core";
import { PageHeader } from "../../components/PageHeader";
import { allowed } from "../../lib/access";
import { useMe } from "../../lib/use-me";
import { MarginReport } from "./MarginReport";
import { StatementsList } from "./StatementsList";

/** Statements for every administrator; the margin report for accounts that bill others (resellers, the provider). */
export function BillingPage() {
  const me = useMe();
  const seller = allowed(me, "seller");
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
        <Tabs defaultValue="statements" keepMounted={false}>
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
