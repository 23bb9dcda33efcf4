import { sourcePath } from "../../lib/paths.js";
import type { SubgraphDefinition } from "../../lib/subgraph.js";
import { createLoaders, type ExchangesLoaders } from "./loaders.js";
import { CategoryResolver } from "./resolvers/category.js";
import { ExchangeInstanceResolver } from "./resolvers/instance.js";
import { LoanResolver } from "./resolvers/loan.js";
import { ExchangeMemberResolver } from "./resolvers/member.js";
import { PlatformExchangesResolver } from "./resolvers/platform.js";
import { ProductResolver } from "./resolvers/product.js";
import { LoanStatsResolver } from "./resolvers/stats.js";
import { TerritoryExchangesResolver } from "./resolvers/territory.js";
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
