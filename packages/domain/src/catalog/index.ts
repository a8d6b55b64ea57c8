// Catalog: products and the prices each vendor sets for the accounts below it.

export * from "./prices/prices.schema";
export * as prices from "./prices/prices.service";
export { loadProductsWithPrices, unitPrice } from "./prices/pricing";
export { connectorEnvironment } from "./products/connector-env";
export {
  assertConnectorUsable,
  type ConnectorSettings,
  defaultConnectorSettings,
  httpConnectorConfig,
} from "./products/connector-settings";
export { DEMO_PRODUCT_MPN, ensureDemoCatalog } from "./products/demo-catalog";
export { listProductsQuery, toProduct } from "./products/products.repository";
export * from "./products/products.schema";
export * as products from "./products/products.service";
export { isOrderable, servesSubscriptions } from "./products/products.states";
