import { entitySelections } from "../../lib/graphql/lookahead.js";
import { sourcePath } from "../../lib/paths.js";
import type { SubgraphDefinition } from "../../lib/subgraph.js";
import { createLoaders, type DirectoryLoaders } from "./loaders.js";
import { OrganizationResolver } from "./resolvers/organization.js";
import { loadPlatform, PlatformResolver } from "./resolvers/platform.js";
import { SoftwareResolver } from "./resolvers/software.js";
import { DirectoryStatsResolver } from "./resolvers/stats.js";
import { TerritoryResolver } from "./resolvers/territory.js";
import { seed } from "./seed.js";

/** Nos Déclics: the directory of platforms, and the territories of France every subgraph refers to. */
export const directory: SubgraphDefinition<DirectoryLoaders> = {
  name: "directory",
  defaultPort: 4001,
  resolvers: [
    TerritoryResolver,
    PlatformResolver,
    SoftwareResolver,
    OrganizationResolver,
    DirectoryStatsResolver,
  ],
  referenceResolvers: {
    Territory: {
      __resolveReference: ({ id }: { id: string }, { loaders }) => loaders.territory.load(id),
    },
    Platform: {
      __resolveReference: ({ slug }: { slug: string }, { loaders }, info) =>
        loadPlatform(
          slug,
          loaders,
          (field) => entitySelections(info, "Platform", field).length > 0,
        ),
    },
    Organization: {
      __resolveReference: ({ id }: { id: string }, { loaders }) => loaders.organization.load(id),
    },
  },
  createLoaders,
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed,
};
