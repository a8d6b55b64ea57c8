import { Breadcrumbs, Button, Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { notifyError } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { MoneyText, When } from "../../components/Values";
import { errorMessage } from "../../lib/errors";
import { humanise } from "../../lib/format";
import { trpc } from "../../trpc";
import { useAccountName } from "./account-names";
import { saveText, statementCsv } from "./download-csv";
import { StatementStatus } from "./StatementStatus";

const route = getRouteApi("/_app/billing/statements/$id");

export function StatementDetailPage() {
  const { id } = route.useParams();
  const accountName = useAccountName();
  const statement = useQuery(trpc.billing.statements.get.queryOptions({ id }));
  const lines = useInfiniteQuery(
    trpc.billing.lines.export.infiniteQueryOptions({ statementId: id, limit: 100 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const [downloading, setDownloading] = useState(false);

  async function download(month: string) {
    setDownloading(true);
    try {
      saveText(await statementCsv(id), `statement-${month}-${id}.csv`);
    } catch (error) {
      notifyError("Could not download the lines", errorMessage(error));
    } finally {
      setDownloading(false);
    }
  }

  if (statement.isPending) return <Loading />;
  if (statement.isError) return <ErrorState error={statement.error} onRetry={() => statement.refetch()} />;
  const s = statement.data;
  const rows = lines.data?.pages.flatMap((p) => p.items) ?? [];
  const kinds = Object.entries(s.totalsByKind);

  return (
    <Stack>
      <Breadcrumbs>
        <AnchorLink to="/billing">Billing</AnchorLink>
        <Text>{s.month}</Text>
      </Breadcrumbs>
      <PageHeader
        title={`Statement ${s.month}`}
        description={
          <>
            Buyer: {accountName(s.buyerId)} · Vendor: {accountName(s.vendorId)} · <StatementStatus status={s.status} />
          </>
        }
        actions={
          <Button onClick={() => download(s.month)} loading={downloading} disabled={s.lineCount === 0}>
            Download CSV
          </Button>
        }
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Total
          </Text>
          <MoneyText value={s.total} size="xl" fw={700} data-testid="statement-total" />
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Lines
          </Text>
          <Text size="xl" fw={700}>
            {s.lineCount}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {s.status === "issued" ? "Issued" : "Open since"}
          </Text>
          <Text fw={600}>
            <When iso={s.issuedAt ?? s.createdAt} />
          </Text>
        </Card>
      </SimpleGrid>

      <Title order={2} size="h4">
        Totals by kind
      </Title>
      {kinds.length === 0 ? (
        <Text c="dimmed">No lines yet.</Text>
      ) : (
        <DataTable
          caption="Totals by kind"
          rows={kinds}
          rowKey={([kind]) => kind}
          columns={[
            { label: "Kind", render: ([kind]) => humanise(kind) },
            { label: "Total", render: ([, amount]) => <MoneyText value={{ amount: amount ?? 0, currency: s.currency }} /> },
          ]}
        />
      )}

      <Title order={2} size="h4">
        Rated lines
      </Title>
      {lines.isPending ? (
        <Loading label="Loading lines…" />
      ) : lines.isError ? (
        <ErrorState error={lines.error} onRetry={() => lines.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No lines yet" />
      ) : (
        <DataTable
          caption="Rated lines"
          rows={rows}
          rowKey={(l) => l.id}
          more={{ hasMore: lines.hasNextPage, loading: lines.isFetchingNextPage, load: () => lines.fetchNextPage() }}
          columns={[
            { label: "Kind", render: (l) => humanise(l.kind) },
            { label: "Tier", render: (l) => l.tier },
            { label: "MPN", render: (l) => l.mpn },
            { label: "Quantity", render: (l) => l.quantity },
            // Days of the term billed out of the term's days ("31 of 31": the whole term).
            { label: "Days billed", render: (l) => `${l.daysBilled} of ${l.daysInPeriod}` },
            { label: "Price", render: (l) => <MoneyText value={l.price} /> },
            // The cost is the vendor side's business: the buyer's side gets null.
            { label: "Cost", render: (l) => <MoneyText value={l.cost} /> },
          ]}
        />
      )}
    </Stack>
  );
}
