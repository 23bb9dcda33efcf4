import { sourcePath } from "../../lib/paths.js";
import type { SubgraphDefinition } from "../../lib/subgraph.js";
import { createLoaders, type EngagementsLoaders } from "./loaders.js";
import { CallForInterestResolver } from "./resolvers/call-for-interest.js";
import { ChallengeResolver } from "./resolvers/challenge.js";
import { CollectiviteResolver } from "./resolvers/collectivite.js";
import { EngagementResolver } from "./resolvers/engagement.js";
import { IndicatorResolver } from "./resolvers/indicator.js";
import { ManifestoResolver } from "./resolvers/manifesto.js";
import { ParcoursResolver } from "./resolvers/parcours.js";
import { PlatformEngagementsResolver } from "./resolvers/platform.js";
import { EngagementStatsResolver } from "./resolvers/stats.js";
import { TerritoryEngagementsResolver } from "./resolvers/territory.js";
import { seed } from "./seed.js";

/** The collectivités of the programme, the manifesto, the parcours, the AMIs and measured commitments. */
export const engagements: SubgraphDefinition<EngagementsLoaders> = {
  name: "engagements",
  defaultPort: 4004,
  resolvers: [
    CollectiviteResolver,
    EngagementResolver,
    TerritoryEngagementsResolver,
    PlatformEngagementsResolver,
    ParcoursResolver,
    ManifestoResolver,
    CallForInterestResolver,
    ChallengeResolver,
    IndicatorResolver,
    EngagementStatsResolver,
  ],
  referenceResolvers: {
    Collectivite: {
      __resolveReference: ({ id }: { id: string }, { loaders }) => loaders.collectivite.load(id),
    },
    Engagement: {
      __resolveReference: ({ id }: { id: string }, { loaders }) => loaders.engagement.load(id),
    },
    Territory: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
    Platform: { __resolveReference: ({ slug }: { slug: string }) => ({ slug }) },
    Organization: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
  },
  createLoaders,
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed: (db) => seed(db),
};
