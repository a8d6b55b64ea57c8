import { Button, Center, Table, useMatches } from "@mantine/core";
import type { ReactNode } from "react";

export interface Column<T> {
  label: string;
  render: (row: T) => ReactNode;
  /** Left out on a phone (below the `xs` breakpoint), so that the other columns fit its width. */
  wide?: boolean;
}

/**
 * A table of rows with a caption for screen readers, scrolling sideways inside its own container
 * on narrow screens; one with `wide` columns leaves them out on a phone and fits it instead.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  more,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  more?: { hasMore: boolean; loading: boolean; load: () => void };
}) {
  const fitsPhone = columns.some((c) => c.wide);
  // Read on the first render: a desktop never shows the phone's layout, even for a frame.
  const minWidth = useMatches({ base: fitsPhone ? undefined : 560, xs: 560 }, { getInitialValueInEffect: false });
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={caption}>
        <Table striped highlightOnHover verticalSpacing="xs" captionSide="top">
          <caption className="visually-hidden">{caption}</caption>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.label} visibleFrom={c.wide ? "xs" : undefined}>
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map((c) => (
                  <Table.Td key={c.label} visibleFrom={c.wide ? "xs" : undefined}>
                    {c.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {more?.hasMore && (
        <Center mt="sm">
          <Button variant="default" onClick={more.load} loading={more.loading}>
            Load more
          </Button>
        </Center>
      )}
    </>
  );
}
