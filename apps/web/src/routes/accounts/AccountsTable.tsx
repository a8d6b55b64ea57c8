import { DataTable } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { StatusBadge } from "../../components/StatusBadge";
import { When } from "../../components/Values";
import { humanise } from "../../lib/format";
import type { RouterOutputs } from "../../trpc";

type Account = RouterOutputs["accounts"]["list"]["items"][number];

export function AccountsTable({
  rows,
  caption,
  more,
}: {
  rows: Account[];
  caption: string;
  more?: Parameters<typeof DataTable>[0]["more"];
}) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(a) => a.id}
      more={more}
      columns={[
        {
          label: "Name",
          render: (a) => (
            <AnchorLink to="/accounts/$accountId" params={{ accountId: a.id }}>
              {a.name}
            </AnchorLink>
          ),
        },
        { label: "Type", render: (a) => humanise(a.type) },
        { label: "Status", render: (a) => <StatusBadge status={a.status} /> },
        { label: "Contact", render: (a) => a.contact.email },
        { label: "Created", render: (a) => <When iso={a.createdAt} /> },
      ]}
    />
  );
}
