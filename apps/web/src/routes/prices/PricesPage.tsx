import { Button, Group, Paper, Select, Stack, Text, TextInput } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { FormFailure } from "../../components/FormFailure";
import { ListBody } from "../../components/ListBody";
import { attempt, notifySuccess } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { MoneyText, When } from "../../components/Values";
import { formatMoney, toMinorUnits } from "../../lib/format";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { useSubmit } from "../../lib/use-submit";
import { trpc } from "../../trpc";

const schema = z
  .object({
    mpn: z.string().min(1, "Choose a product"),
    amount: z.string().trim().min(1, "Enter your price"),
    currency: z.string().regex(/^[A-Z]{3}$/, "Three capital letters, such as USD"),
  })
  .refine((v) => toMinorUnits(v.amount, v.currency) !== null, { message: "Enter an amount such as 12.50", path: ["amount"] });

function Margin({ price, cost }: { price: { amount: number; currency: string }; cost: { amount: number; currency: string } | null }) {
  if (!cost)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  if (cost.currency !== price.currency)
    return (
      <Text span c="dimmed">
        Other currency
      </Text>
    );
  const margin = price.amount - cost.amount;
  const percent = price.amount === 0 ? 0 : Math.round((margin / price.amount) * 1000) / 10;
  return (
    <Text span c={margin < 0 ? "red.8" : undefined}>
      {formatMoney({ amount: margin, currency: price.currency })} ({percent}%)
    </Text>
  );
}

export function PricesPage() {
  const me = useMe();
  const list = useInfiniteQuery(trpc.prices.list.infiniteQueryOptions({ limit: 100 }, byCursor));
  const products = useQuery(trpc.products.list.queryOptions({ status: "published", limit: 200 }));
  const set = useMutation(trpc.prices.set.mutationOptions());
  const remove = useMutation(trpc.prices.remove.mutationOptions());
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { mpn: "", amount: "", currency: "USD" },
    validate: schemaResolver(schema, { sync: true }),
  });
  const { failure, onSubmit } = useSubmit(form, { price: "amount" });
  form.watch("mpn", ({ value }) => {
    const product = products.data?.items.find((p) => p.mpn === value);
    if (product) form.setFieldValue("currency", product.msrp.currency);
  });
  const rows = rowsOf(list);

  return (
    <Stack>
      <PageHeader
        title="Prices"
        description={`What ${me.account.name} charges the accounts directly below it. Where you set no price, they pay the list price (MSRP).`}
      />
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={onSubmit(async (values) => {
            await set.mutateAsync({
              mpn: values.mpn,
              price: { amount: toMinorUnits(values.amount, values.currency) ?? 0, currency: values.currency },
            });
            await refreshAfter("price");
            notifySuccess(`Your price for ${values.mpn} is set.`);
            form.reset();
          })}
        >
          <Stack gap="sm">
            <FormFailure message={failure} />
            <Group align="flex-start" gap="sm">
              <Select
                label="Product"
                searchable
                placeholder="Choose a product"
                data={(products.data?.items ?? []).map((p) => ({
                  value: p.mpn,
                  label: `${p.name} (${p.mpn}) · MSRP ${formatMoney(p.msrp)}`,
                }))}
                key={form.key("mpn")}
                {...form.getInputProps("mpn")}
                w={{ base: "100%", sm: 360 }}
              />
              <TextInput
                label="Your price"
                inputMode="decimal"
                placeholder="12.50"
                key={form.key("amount")}
                {...form.getInputProps("amount")}
                w={{ base: "100%", xs: 140 }}
              />
              <TextInput
                label="Currency"
                maxLength={3}
                key={form.key("currency")}
                {...form.getInputProps("currency")}
                w={{ base: "100%", xs: 100 }}
              />
            </Group>
            <Group>
              <Button type="submit" loading={set.isPending}>
                Set price
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState title="No prices of your own yet">
              Set a price above to sell a product for more (or less) than its list price.
            </EmptyState>
          )
        }
      >
        <DataTable
          caption="Your prices"
          rows={rows}
          rowKey={(p) => p.mpn}
          more={moreOf(list)}
          columns={[
            { label: "MPN", render: (p) => <code>{p.mpn}</code> },
            { label: "Your price", render: (p) => <MoneyText value={p.price} /> },
            { label: "Your cost", render: (p) => <MoneyText value={p.cost} /> },
            { label: "Margin", render: (p) => <Margin price={p.price} cost={p.cost} /> },
            { label: "Changed", render: (p) => <When iso={p.updatedAt} /> },
            {
              label: "Actions",
              render: (p) => (
                <ConfirmButton
                  size="xs"
                  title={`Remove your price for ${p.mpn}?`}
                  message="The accounts below you will pay the list price (MSRP) for new orders."
                  confirmLabel="Remove price"
                  onConfirm={() =>
                    attempt(
                      async () => {
                        await remove.mutateAsync({ mpn: p.mpn });
                        await refreshAfter("price");
                      },
                      { done: `Your price for ${p.mpn} is removed.`, failed: "Could not remove the price" },
                    )
                  }
                >
                  Remove
                </ConfirmButton>
              ),
            },
          ]}
        />
      </ListBody>
    </Stack>
  );
}
