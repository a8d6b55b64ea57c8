import type { Column } from "../../components/DataTable";
import { AnchorLink } from "../../components/Links";
import { StatusBadge } from "../../components/StatusBadge";
import { MoneyText, When } from "../../components/Values";
import { humanise } from "../../lib/format";
import type { RouterOutputs } from "../../trpc";

type Order = RouterOutputs["orders"]["list"]["items"][number];

/** The columns the tables of orders pick from (the orders list, the dashboard, operations). */
export const orderColumns = {
  id: {
    label: "Order",
    render: (o) => (
      <AnchorLink to="/orders/$orderId" params={{ orderId: o.id }}>
        {o.id}
      </AnchorLink>
    ),
  },
  account: { label: "Account", render: (o) => o.accountId },
  type: { label: "Type", render: (o) => humanise(o.type) },
  items: { label: "Items", render: (o) => o.items.map((i) => `${i.quantity} × ${i.mpn}`).join(", ") },
  status: { label: "Status", render: (o) => <StatusBadge status={o.status} /> },
  reason: { label: "Reason", render: (o) => o.errorMessage ?? "—" },
  total: { label: "Total", render: (o) => <MoneyText value={o.total} /> },
  placed: { label: "Placed", render: (o) => <When iso={o.createdAt} /> },
  failed: { label: "Failed", render: (o) => <When iso={o.updatedAt} /> },
} satisfies Record<string, Column<Order>>;
