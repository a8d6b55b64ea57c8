import { Button, Group, Stack, TextInput } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ChoiceFilter } from "../../components/ChoiceFilter";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { ListBody } from "../../components/ListBody";
import { attempt } from "../../components/notify";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { MoneyText } from "../../components/Values";
import { byCursor, moreOf, rowsOf } from "../../lib/paging";
import { refreshAfter } from "../../lib/refresh";
import { useMe } from "../../lib/use-me";
import { trpc } from "../../trpc";
import { CreateProductModal } from "./CreateProductModal";

const statuses = ["draft", "published", "retired"] as const;

export function CatalogPage() {
  const me = useMe();
  const isProvider = me.account.type === "provider";
  const [text, setText] = useState("");
  const [status, setStatus] = useState<(typeof statuses)[number] | undefined>(undefined);
  const [creating, createModal] = useDisclosure(false);
  const [needle] = useDebouncedValue(text.trim(), 250);
  // Free text needs three characters (the API searches by trigram); shorter text is taken as an exact MPN.
  const filter = needle.length >= 3 ? { q: needle } : needle.length > 0 ? { mpn: needle } : {};
  const list = useInfiniteQuery(trpc.products.list.infiniteQueryOptions({ limit: 50, status, ...filter }, byCursor));
  const publish = useMutation(trpc.products.publish.mutationOptions());
  const retire = useMutation(trpc.products.retire.mutationOptions());
  const rows = rowsOf(list);

  const act = (run: () => Promise<unknown>, done: string) =>
    attempt(
      async () => {
        await run();
        await refreshAfter("product");
      },
      { done, failed: "Could not change the product" },
    );

  return (
    <Stack>
      <PageHeader
        title="Catalog"
        description={
          isProvider ? "Products the platform sells. Drafts are visible only to you until published." : "Products you can order and resell"
        }
        actions={isProvider ? <Button onClick={createModal.open}>New product</Button> : undefined}
      />
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search"
          placeholder="Name or MPN"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={{ base: "100%", xs: 260 }}
        />
        {isProvider && <ChoiceFilter label="Status" any="Any status" choices={statuses} value={status} onChange={setStatus} width={160} />}
      </Group>
      <ListBody
        list={list}
        empty={
          rows.length === 0 && (
            <EmptyState title={needle ? "No product matches" : "The catalog is empty"}>
              {needle
                ? "Try part of the name, or the exact MPN."
                : isProvider
                  ? "Create a product, then publish it."
                  : "The provider has not published products yet."}
            </EmptyState>
          )
        }
      >
        <DataTable
          caption="Products"
          rows={rows}
          rowKey={(p) => p.id}
          more={moreOf(list)}
          columns={[
            { label: "Name", render: (p) => p.name },
            { label: "MPN", render: (p) => <code>{p.mpn}</code> },
            { label: "Vendor", render: (p) => p.isvName },
            { label: "MSRP", render: (p) => <MoneyText value={p.msrp} /> },
            { label: "Per", render: (p) => `${p.unit} / ${p.billingPeriod}` },
            { label: "Status", render: (p) => <StatusBadge status={p.status} /> },
            {
              label: "Actions",
              render: (p) => (
                <Group gap="xs" wrap="nowrap">
                  {p.status === "published" && (
                    <AnchorLink to="/orders/new" search={{ mpn: p.mpn, accountId: undefined }} size="sm">
                      Order
                    </AnchorLink>
                  )}
                  {isProvider && p.status === "draft" && (
                    <Button size="xs" onClick={() => act(() => publish.mutateAsync({ id: p.id }), `${p.name} is published.`)}>
                      Publish
                    </Button>
                  )}
                  {isProvider && p.status === "published" && (
                    <ConfirmButton
                      size="xs"
                      title={`Retire ${p.name}?`}
                      message="Retired products can no longer be ordered; existing subscriptions keep running."
                      confirmLabel="Retire"
                      onConfirm={() => act(() => retire.mutateAsync({ id: p.id }), `${p.name} is retired.`)}
                    >
                      Retire
                    </ConfirmButton>
                  )}
                </Group>
              ),
            },
          ]}
        />
      </ListBody>
      {isProvider && <CreateProductModal opened={creating} onClose={createModal.close} />}
    </Stack>
  );
}
