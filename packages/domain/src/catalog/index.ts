// Catalog: products and the prices each vendor sets for the accounts below it.
export * from "./products/products.schema";
export * as products from "./products/products.service";
export { DEMO_PRODUCT_MPN, ensureDemoCatalog } from "./products/demo-catalog";
export { assertConnectorUsable, type ConnectorSettings, defaultConnectorSettings, httpConnectorConfig } from "./products/connector-settings";
export { listProductsQuery, toProduct } from "./products/products.repository";
export { isOrderable, servesSubscriptions } from "./products/products.states";
export * from "./prices/prices.schema";
export * as prices from "./prices/prices.service";
export { unitPrice, loadProductsWithPrices } from "./prices/pricing";
