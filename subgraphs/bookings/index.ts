import { sourcePath } from "../../lib/paths.js";
import type { SubgraphDefinition } from "../../lib/subgraph.js";
import { type BookingsLoaders, createLoaders } from "./loaders.js";
import { AppointmentResolver } from "./resolvers/appointment.js";
import { ListsResolver } from "./resolvers/lists.js";
import { PlatformBookingsResolver } from "./resolvers/platform.js";
import { RepairerResolver } from "./resolvers/repairer.js";
import { BookingStatsResolver } from "./resolvers/stats.js";
import { TerritoryRepairersResolver } from "./resolvers/territory.js";
import { seed } from "./seed.js";
import { startExpiryJob } from "./writes.js";

/** Rustine Libre: bike repairers, their computed availability, and appointments. */
export const bookings: SubgraphDefinition<BookingsLoaders> = {
  name: "bookings",
  defaultPort: 4003,
  resolvers: [
    RepairerResolver,
    TerritoryRepairersResolver,
    PlatformBookingsResolver,
    BookingStatsResolver,
    ListsResolver,
    AppointmentResolver,
  ],
  referenceResolvers: {
    Repairer: {
      __resolveReference: ({ id }: { id: string }, { loaders }) => loaders.repairer.load(id),
    },
    Territory: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
    Platform: { __resolveReference: ({ slug }: { slug: string }) => ({ slug }) },
  },
  createLoaders,
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed,
  // Pending appointments left unanswered for 72 h are cancelled by this job.
  start: (db) => startExpiryJob(db),
};
