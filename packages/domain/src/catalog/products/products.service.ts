import type { Db, ProductRow, ProductStatus } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { eventOrigin, permissions } from "@canopy/domain/identity";
import {
  badRequest,
  conflict,
  decodeCursor,
  type EventType,
  insertEvent,
  isUniqueViolation,
  newId,
  notFound,
  type Page,
  pageOf,
} from "@canopy/domain/shared";
import { assertConnectorUsable, type ConnectorSettings, defaultConnectorSettings } from "./connector-settings";
import { findProduct, insertProduct, listProductsQuery, toProduct, updateProduct } from "./products.repository";
import {
  type Product,
  type ProductsCreateInput,
  type ProductsGetInput,
  type ProductsListInput,
  type ProductsUpdateInput,
  resolvePeriod,
} from "./products.schema";
import { assertProductMove } from "./products.states";

const isCatalogManager = (actor: Actor) => actor.role === "admin" && actor.accountType === "provider";

/** Drafts are the provider's work in progress; everyone else sees published and retired products. */
function visibleStatuses(actor: Actor): readonly ProductStatus[] {
  return isCatalogManager(actor) ? ["draft", "published", "retired"] : ["published", "retired"];
}

const present = (actor: Actor) => (row: ProductRow) => toProduct(row, { withConnectorConfig: isCatalogManager(actor) });

export async function getProduct(db: Db, actor: Actor, input: ProductsGetInput): Promise<Product> {
  const row = await findProduct(db, input);
  if (!row || !visibleStatuses(actor).includes(row.status)) throw notFound("product");
  return present(actor)(row);
}

export async function listProducts(db: Db, actor: Actor, input: ProductsListInput): Promise<Page<Product>> {
  if (input.status && !visibleStatuses(actor).includes(input.status)) return { items: [], nextCursor: null };
  const rows = await listProductsQuery(db, {
    mpn: input.mpn,
    q: input.q,
    isvName: input.isvName,
    visible: visibleStatuses(actor),
    status: input.status,
    afterMpn: decodeCursor(input.cursor),
    limit: input.limit,
  }).execute();
  return pageOf(rows, input.limit, (r) => r.mpn, present(actor));
}

/**
 * Catalog events concern the provider, the catalog's only manager: its admins and endpoints see
 * them, with the provider's view of the product (connectorConfig included); nobody below does
 * (docs/events.md#who-sees-catalog-events).
 */
async function productEvent(db: Db, actor: Actor, type: EventType, row: ProductRow, extra: object = {}) {
  await insertEvent(db, {
    type,
    origin: eventOrigin(actor),
    account: { id: actor.accountId, path: actor.accountPath },
    data: { ...toProduct(row, { withConnectorConfig: true }), ...extra },
  });
}

const mpnTaken = (mpn: string) => conflict(`a product with MPN ${mpn} already exists`);

export async function createProduct(
  db: Db,
  actor: Actor,
  input: ProductsCreateInput,
  settings: ConnectorSettings = defaultConnectorSettings,
): Promise<Product> {
  permissions.manageProducts(actor);
  assertConnectorUsable(settings, { mpn: input.mpn, connector: input.connector, connectorConfig: input.connectorConfig ?? null });
  try {
    const row = await insertProduct(db, {
      id: newId("prd"),
      mpn: input.mpn,
      name: input.name,
      description: input.description ?? null,
      isv_name: input.isvName,
      connector: input.connector,
      connector_config: input.connectorConfig ? JSON.stringify(input.connectorConfig) : null,
      unit: input.unit,
      billing_period: resolvePeriod(input)!,
      billing_model: input.billingModel,
      min_quantity: input.minQuantity,
      max_quantity: input.maxQuantity,
      msrp_amount: input.msrp.amount,
      msrp_currency: input.msrp.currency,
    });
    await productEvent(db, actor, "product.created", row);
    return present(actor)(row);
  } catch (error) {
    if (isUniqueViolation(error, "products_mpn_key")) throw mpnTaken(input.mpn);
    throw error;
  }
}

async function loadForChange(db: Db, actor: Actor, id: string): Promise<ProductRow> {
  permissions.manageProducts(actor);
  const row = await findProduct(db, { id });
  if (!row) throw notFound("product");
  return row;
}

async function staleOrMissing(db: Db, id: string): Promise<never> {
  throw (await findProduct(db, { id })) ? conflict("the product was changed by someone else; reload it and retry") : notFound("product");
}

/** The MPN never changes: prices and subscriptions refer to it. */
export async function updateProductDetails(
  db: Db,
  actor: Actor,
  input: ProductsUpdateInput,
  settings: ConnectorSettings = defaultConnectorSettings,
): Promise<Product> {
  const current = await loadForChange(db, actor, input.id);
  if (input.connector !== undefined || input.connectorConfig !== undefined) {
    assertConnectorUsable(settings, {
      mpn: current.mpn,
      connector: input.connector ?? current.connector,
      connectorConfig: input.connectorConfig === undefined ? current.connector_config : input.connectorConfig,
    });
  }
  const min = input.minQuantity ?? current.min_quantity;
  const max = input.maxQuantity ?? current.max_quantity;
  if (min > max) throw badRequest(`minQuantity (${min}) must not exceed maxQuantity (${max})`);
  const row = await updateProduct(db, input.id, input.version, {
    name: input.name,
    description: input.description,
    isv_name: input.isvName,
    connector: input.connector,
    connector_config:
      input.connectorConfig === undefined ? undefined : input.connectorConfig === null ? null : JSON.stringify(input.connectorConfig),
    unit: input.unit,
    billing_period: resolvePeriod(input),
    billing_model: input.billingModel,
    min_quantity: input.minQuantity,
    max_quantity: input.maxQuantity,
    msrp_amount: input.msrp?.amount,
    msrp_currency: input.msrp?.currency,
  });
  if (!row) return staleOrMissing(db, input.id);
  await productEvent(db, actor, "product.updated", row);
  return present(actor)(row);
}

async function moveProduct(db: Db, actor: Actor, id: string, to: ProductStatus): Promise<Product> {
  const current = await loadForChange(db, actor, id);
  if (current.status === to) return present(actor)(current);
  assertProductMove(current.status, to);
  const row = await updateProduct(db, id, current.version, { status: to });
  if (!row) return staleOrMissing(db, id);
  await productEvent(db, actor, "product.statusChanged", row, { previousStatus: current.status });
  return present(actor)(row);
}

export const publishProduct = (db: Db, actor: Actor, id: string) => moveProduct(db, actor, id, "published");
export const retireProduct = (db: Db, actor: Actor, id: string) => moveProduct(db, actor, id, "retired");
