// One Database interface, assembled from each area's tables (kysely's recommended shape).
import type { CoreTables } from "./tables/core";

export * from "./tables/core";

export interface Database extends CoreTables {}
