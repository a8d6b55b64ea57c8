import type { Db } from "@canopy/db";
import { httpConnectorConfig } from "@canopy/domain/catalog";
import { verifyIsvRequest } from "@canopy/domain/commerce";
import type { Actor } from "@canopy/domain/identity";
import { unauthorized } from "@canopy/domain/shared";
import { type UsageRecord, usageReportInput } from "../schema/billing.schema";
import { productOfSubscription } from "./usage.repository";
import { reportUsage } from "./usage.service";

export interface SignedUsageReport {
  /** The raw body as received: the signature covers these bytes, not a re-serialisation. */
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** One answer for every refusal before the signature is checked, so the callback is no oracle of which subscriptions exist. */
const refused = () => unauthorized("the usage report is not signed by the ISV of this subscription's product");

/**
 * Usage an ISV application reports itself through its http connector: a POST signed with the
 * product's shared secret (`canopy-timestamp`, `canopy-signature`, the scheme Canopy signs its
 * own calls to the ISV with). The secret of the subscription's product is the credential: an
 * ISV can report only for subscriptions of products whose secret it holds. The report is then
 * the same as `usage.report` (validation, idempotency per key, rating at every tier).
 * A body that is not a valid report throws zod's error (the host answers it with field paths).
 */
export async function reportSignedUsage(
  db: Db,
  httpSecrets: Readonly<Record<string, string>>,
  request: SignedUsageReport,
  now: Date = new Date(),
): Promise<UsageRecord> {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) throw refused();
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    throw refused();
  }
  const subscriptionId = (json as { subscriptionId?: unknown } | null)?.subscriptionId;
  if (typeof subscriptionId !== "string") throw refused();
  const product = await productOfSubscription(db, subscriptionId);
  if (product?.connector !== "http") throw refused();
  const config = httpConnectorConfig.safeParse(product.connector_config ?? {});
  const secretRef = (config.success && config.data.secretRef) || product.mpn;
  const secret = httpSecrets[secretRef];
  if (!secret || !verifyIsvRequest(secret, { timestamp, signature, body: request.body }, now.getTime())) throw refused();

  const input = usageReportInput.parse(json);
  return db.transaction().execute((trx) => reportUsage(trx, isvActor(secretRef, product.isv_name), input, now));
}

/** The ISV as the reporter: `reported_by` names the secret it signed with. */
function isvActor(secretRef: string, isvName: string): Actor {
  return {
    kind: "apiKey",
    id: `isv:${secretRef}`,
    accountId: "",
    accountPath: "",
    accountType: "customer",
    role: "service",
    isv: true,
    isvName,
  };
}
