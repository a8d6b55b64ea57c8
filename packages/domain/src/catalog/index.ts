// Catalog: products and the prices each vendor sets for the accounts below it.
export * from "./products/products.schema";
export * as products from "./products/products.service";
export { listProductsQuery, toProduct } from "./products/products.repository";
export { isOrderable, servesSubscriptions } from "./products/products.states";
export * from "./prices/prices.schema";
export * as prices from "./prices/prices.service";
export { unitPrice, loadProductsWithPrices } from "./prices/pricing";
