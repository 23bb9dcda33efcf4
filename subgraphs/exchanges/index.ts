import { sourcePath } from "../../lib/paths.js";
import type { SubgraphDefinition } from "../../lib/subgraph.js";
import { createLoaders, type ExchangesLoaders } from "./loaders.js";
import {
  CategoryResolver,
  ExchangeInstanceResolver,
  ExchangeMemberResolver,
  LoanResolver,
  LoanStatsResolver,
  PlacesResolver,
  PlatformExchangesResolver,
  ProductResolver,
  TerritoryExchangesResolver,
} from "./resolvers.js";
import { seed } from "./seed.js";

/** EBS, Échanges de Biens et Services: the instances, their catalogue, the objetothèques, and loans. */
export const exchanges: SubgraphDefinition<ExchangesLoaders> = {
  name: "exchanges",
  defaultPort: 4002,
  resolvers: [
    ExchangeInstanceResolver,
    CategoryResolver,
    ExchangeMemberResolver,
    ProductResolver,
    TerritoryExchangesResolver,
    PlatformExchangesResolver,
    PlacesResolver,
    LoanResolver,
    LoanStatsResolver,
  ],
  referenceResolvers: {
    ExchangeInstance: {
      __resolveReference: ({ slug }: { slug: string }, { loaders }) => loaders.instance.load(slug),
    },
    Product: {
      __resolveReference: ({ id }: { id: string }, { loaders }) => loaders.product.load(id),
    },
    Territory: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
    Platform: { __resolveReference: ({ slug }: { slug: string }) => ({ slug }) },
  },
  createLoaders,
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed: (db) => seed(db),
};
