import { and, eq, isNull } from "drizzle-orm";
import { products } from "./tables.js";
import type { ProductRow } from "./types.js";

type ProductState = Pick<ProductRow, "status" | "visibility" | "withdrawnAt">;

/** Public: not restricted to groups, and still at its source. */
const isPublic = (product: ProductState) =>
  product.visibility === "PUBLIC" && product.withdrawnAt === null;

/** Shown when asked for by id: public and not deleted (a paused product shows as paused). */
export const isShown = (product: ProductState) => isPublic(product) && product.status !== "DELETED";

/** In the public catalogue, and so borrowable: public and active. */
export const isPubliclyListed = (product: ProductState) =>
  isPublic(product) && product.status === "ACTIVE";

/** `isPubliclyListed` as a condition, for the catalogue's lists. */
export const publiclyListed = and(
  eq(products.status, "ACTIVE"),
  eq(products.visibility, "PUBLIC"),
  isNull(products.withdrawnAt),
)!;
