/**
 * The interface between Canopy and an ISV's cloud application (docs/orders.md). Every operation is
 * idempotent by `idempotencyKey` (the order item id, or the account event + subscription for
 * account-status effects): the ISV must carry out one key once, however often it is called,
 * and answer repeated calls with the first result. Failures are values, not exceptions, so the
 * caller has to decide between retrying and giving up.
 */
export const connectorOperations = ["provision", "changeQuantity", "suspend", "resume", "terminate"] as const;
export type ConnectorOperation = (typeof connectorOperations)[number];

export interface ConnectorRequest {
  idempotencyKey: string;
  subscriptionId: string;
  accountId: string;
  mpn: string;
  quantity: number;
  /** The ISV's reference of the service, known after provisioning. */
  serviceRef?: string | null;
}

export type ConnectorResult =
  | { outcome: "ok"; serviceRef: string }
  /** Worth retrying later: the ISV was unreachable, timed out or answered 5xx. */
  | { outcome: "transient"; message: string }
  /** Retrying would fail the same way: the ISV refused the request. */
  | { outcome: "permanent"; message: string };

export type Connector = {
  readonly name: string;
} & {
  [Op in ConnectorOperation]: (request: ConnectorRequest) => Promise<ConnectorResult>;
};

export const ok = (serviceRef: string): ConnectorResult => ({ outcome: "ok", serviceRef });
export const transient = (message: string): ConnectorResult => ({ outcome: "transient", message });
export const permanent = (message: string): ConnectorResult => ({ outcome: "permanent", message });
