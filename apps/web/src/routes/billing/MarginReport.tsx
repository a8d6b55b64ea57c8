import { Select, Stack, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { MoneyText } from "../../components/Values";
import { currentMonth, recentMonths } from "../../lib/months";
import { trpc } from "../../trpc";
import { useAccountName } from "./account-names";

const route = getRouteApi("/_app/billing");

// Amounts of the report are minor units with the row's currency beside them.
const money = (amount: number | null, currency: string) => (amount === null ? null : { amount, currency });

/** Per subscription billed in a month: what the account charged below, what it paid above, and the difference. */
export function MarginReport() {
  const accountName = useAccountName();
  // The month is in the URL (`marginMonth`, lib/search.ts); the current one when absent.
  const { marginMonth } = route.useSearch();
  const month = marginMonth ?? currentMonth();
  const navigate = useNavigate({ from: "/billing" });
  const report = useQuery(trpc.billing.margin.queryOptions({ month }));
  return (
    <Stack>
      <Select
        label="Month"
        data={recentMonths()}
        value={month}
        allowDeselect={false}
        onChange={(v) => v && navigate({ search: (prev) => ({ ...prev, marginMonth: v }), replace: true })}
        w={{ base: "100%", xs: 200 }}
      />
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => report.refetch()} />
      ) : report.data.rows.length === 0 ? (
        <EmptyState title="Nothing billed this month">Your account billed no subscription below it in this month.</EmptyState>
      ) : (
        <>
          <DataTable
            caption={`Margin per subscription, ${month}`}
            rows={report.data.rows}
            rowKey={(r) => `${r.subscriptionId}:${r.buyerId}:${r.currency}`}
            // On a phone: the buyer, what it was charged and the margin (what was paid is the difference).
            columns={[
              {
                label: "Subscription",
                wide: true,
                render: (r) => (
                  <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: r.subscriptionId }}>
                    {r.subscriptionId}
                  </AnchorLink>
                ),
              },
              { label: "MPN", render: (r) => r.mpn, wide: true },
              { label: "Buyer", render: (r) => accountName(r.buyerId) },
              { label: "Charged", render: (r) => <MoneyText value={money(r.charged, r.currency)} /> },
              { label: "Paid", render: (r) => <MoneyText value={money(r.paid, r.currency)} />, wide: true },
              { label: "Margin", render: (r) => <MoneyText fw={600} value={money(r.margin, r.currency)} /> },
            ]}
          />
          <Title order={2} size="h4">
            Totals
          </Title>
          <DataTable
            caption={`Margin totals per currency, ${month}`}
            rows={report.data.totals}
            rowKey={(t) => t.currency}
            columns={[
              { label: "Currency", render: (t) => t.currency },
              { label: "Charged", render: (t) => <MoneyText value={money(t.charged, t.currency)} /> },
              { label: "Paid", render: (t) => <MoneyText value={money(t.paid, t.currency)} />, wide: true },
              { label: "Margin", render: (t) => <MoneyText fw={600} value={money(t.margin, t.currency)} /> },
            ]}
          />
        </>
      )}
    </Stack>
  );
}
