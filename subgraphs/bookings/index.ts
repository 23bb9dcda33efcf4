import { sourcePath } from "../../lib/paths.js";
import type { SubgraphDefinition } from "../../lib/subgraph.js";
import { startExpiryJob } from "./appointments.js";
import { type BookingsLoaders, createLoaders } from "./loaders.js";
import {
  AppointmentResolver,
  BookingStatsResolver,
  PlatformBookingsResolver,
  RepairerResolver,
  TerritoryRepairersResolver,
} from "./resolvers.js";
import { seed } from "./seed.js";

/** Rustine Libre: bike repairers, their computed availability, and appointments. */
export const bookings: SubgraphDefinition<BookingsLoaders> = {
  name: "bookings",
  defaultPort: 4003,
  resolvers: [
    RepairerResolver,
    TerritoryRepairersResolver,
    PlatformBookingsResolver,
    BookingStatsResolver,
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
