import { Alert, Button, Group, NumberInput, Paper, Select, Stack, Stepper, Table, Text } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { AccountSelect } from "../../components/AccountSelect";
import { AnchorLink } from "../../components/Links";
import { PageHeader } from "../../components/PageHeader";
import { ErrorState, Loading } from "../../components/States";
import { MoneyText } from "../../components/Values";
import { errorMessage, fieldErrorsOf } from "../../lib/errors";
import { formatMoney } from "../../lib/format";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";

const route = getRouteApi("/_app/orders/new");

/** Estimate, then place: the price is shown before anything is recorded. */
export function NewOrderPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [accountId, setAccountId] = useState(search.accountId ?? me.account.id);
  const [mpn, setMpn] = useState<string | null>(search.mpn ?? null);
  const [quantity, setQuantity] = useState<number | string>(1);
  const [errors, setErrors] = useState<{ mpn?: string; quantity?: string }>({});
  // One key per wizard: pressing "Place" twice, or retrying after a network failure, places one order.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);

  const products = useQuery(trpc.products.list.queryOptions({ status: "published", limit: 200 }));
  const product = products.data?.items.find((p) => p.mpn === mpn);
  const input = { accountId, items: [{ mpn: mpn ?? "", quantity: Number(quantity) }] };
  const estimate = useQuery({ ...trpc.orders.estimate.queryOptions(input), enabled: step === 1, staleTime: 0, retry: false });
  const place = useMutation(trpc.orders.place.mutationOptions());

  function review() {
    const next: typeof errors = {};
    if (!mpn) next.mpn = "Choose a product";
    const q = Number(quantity);
    if (!Number.isInteger(q) || q < 1) next.quantity = "Enter a whole number of at least 1";
    else if (product && (q < product.minQuantity || q > product.maxQuantity)) {
      next.quantity = `Between ${product.minQuantity} and ${product.maxQuantity} for this product`;
    }
    setErrors(next);
    if (Object.keys(next).length === 0) setStep(1);
  }

  async function submit() {
    try {
      const order = await place.mutateAsync({ ...input, idempotencyKey });
      await refreshAfter("order");
      await navigate({ to: "/orders/$orderId", params: { orderId: order.id } });
    } catch {
      // Shown below from place.error.
    }
  }

  const estimateFields = estimate.error ? fieldErrorsOf(estimate.error) : {};
  return (
    <Stack maw={760}>
      <PageHeader title="New order" description="Choose what to buy, check the price, then place the order." />
      <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} size="sm">
        <Stepper.Step label="What" description="Product and quantity">
          <Paper withBorder p="md" mt="md">
            <Stack>
              {me.account.type !== "customer" && (
                <AccountSelect label="For account" value={accountId} onChange={(v) => v && setAccountId(v)} />
              )}
              {products.isError ? (
                <ErrorState error={products.error} onRetry={() => products.refetch()} />
              ) : (
                <Select
                  label="Product"
                  placeholder={products.isPending ? "Loading products…" : "Choose a product"}
                  searchable
                  required
                  nothingFoundMessage="No published product matches"
                  data={(products.data?.items ?? []).map((p) => ({ value: p.mpn, label: `${p.name} (${p.mpn})` }))}
                  value={mpn}
                  onChange={setMpn}
                  error={errors.mpn}
                />
              )}
              {product && (
                <Text size="sm" c="dimmed">
                  {product.isvName} · per {product.unit} per {product.billingPeriod} · list price {formatMoney(product.msrp)} ·{" "}
                  {product.minQuantity}–{product.maxQuantity} {product.unit}s
                </Text>
              )}
              <NumberInput
                label="Quantity"
                min={1}
                allowDecimal={false}
                required
                value={quantity}
                onChange={setQuantity}
                error={errors.quantity}
                w={160}
              />
              <Group>
                <Button onClick={review}>Review price</Button>
              </Group>
            </Stack>
          </Paper>
        </Stepper.Step>
        <Stepper.Step label="Price" description="Check and place">
          <Paper withBorder p="md" mt="md">
            {estimate.isPending ? (
              <Loading label="Pricing…" />
            ) : estimate.isError ? (
              <Stack>
                <Alert color="red" title="This order cannot be placed" role="alert">
                  {Object.values(estimateFields)[0] ?? errorMessage(estimate.error)}
                </Alert>
                <Group>
                  <Button variant="default" onClick={() => setStep(0)}>
                    Back
                  </Button>
                </Group>
              </Stack>
            ) : (
              <Stack>
                <Table.ScrollContainer minWidth={420} type="native" tabIndex={0} role="region" aria-label="Order estimate">
                  <Table>
                    <caption className="visually-hidden">Order estimate</caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Product</Table.Th>
                        <Table.Th>Quantity</Table.Th>
                        <Table.Th>Unit price</Table.Th>
                        <Table.Th>Total</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {estimate.data.items.map((item) => (
                        <Table.Tr key={item.mpn}>
                          <Table.Td>{item.mpn}</Table.Td>
                          <Table.Td>{item.quantity}</Table.Td>
                          <Table.Td>
                            <MoneyText value={item.unitPrice} />
                          </Table.Td>
                          <Table.Td>
                            <MoneyText value={item.total} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <Text fw={700} size="lg" data-testid="estimate-total">
                  Total per {product?.billingPeriod ?? "term"}: <MoneyText value={estimate.data.total} />
                </Text>
                {place.error && (
                  <Alert color="red" title="The order was not placed" role="alert">
                    {errorMessage(place.error)}
                  </Alert>
                )}
                <Group>
                  <Button variant="default" onClick={() => setStep(0)}>
                    Back
                  </Button>
                  <Button onClick={submit} loading={place.isPending}>
                    Place order
                  </Button>
                </Group>
              </Stack>
            )}
          </Paper>
        </Stepper.Step>
      </Stepper>
      <AnchorLink to="/orders" size="sm">
        Back to orders
      </AnchorLink>
    </Stack>
  );
}
