import type { AnySubgraphDefinition } from "../lib/subgraph.js";
import { bookings } from "./bookings/index.js";
import { directory } from "./directory/index.js";
import { engagements } from "./engagements/index.js";
import { exchanges } from "./exchanges/index.js";

/**
 * The subgraphs of this repository, in the order they are migrated and seeded (the directory
 * first: the others refer to its territories and platforms).
 */
export const subgraphs: AnySubgraphDefinition[] = [directory, exchanges, bookings, engagements];
