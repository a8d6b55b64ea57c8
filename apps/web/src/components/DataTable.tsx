import { Button, Center, Table } from "@mantine/core";
import type { ReactNode } from "react";

export interface Column<T> {
  label: string;
  render: (row: T) => ReactNode;
  /** Hidden on narrow screens where the table would not fit. */
  wide?: boolean;
}

/** A table of rows with a caption for screen readers, scrolling sideways on narrow screens. */
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
  return (
    <>
      <Table.ScrollContainer minWidth={560} type="native" tabIndex={0} role="region" aria-label={caption}>
        <Table striped highlightOnHover verticalSpacing="xs" captionSide="top">
          <caption className="visually-hidden">{caption}</caption>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.label}>{c.label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map((c) => (
                  <Table.Td key={c.label}>{c.render(row)}</Table.Td>
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
