import { readdirSync, readFileSync } from "node:fs";
import type { GraphQLCall } from "./load.js";
import type { Target } from "./targets.js";

/** The playground's ready operations: the portal's "près de chez moi" and the analysts' statistics. */
const OPERATIONS_DIR = "gateway/playground/operations";
const operation = (file: string) => readFileSync(`${OPERATIONS_DIR}/${file}`, "utf8");

export const PORTAL_QUERY = operation("1-pres-de-chez-moi.graphql");
export const STATS_QUERIES = readdirSync(OPERATIONS_DIR)
  .filter((file) => /^[3-6]-.*\.graphql$/.test(file))
  .sort()
  .map(operation);
/** Lomme, the territory of the hot page. */
export const HOT_TERRITORY = "COMA:59355";

const BOOK = `mutation Reserver($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status slotTime } }`;
const BORROW = `mutation Emprunter($productId: ID!, $startDate: LocalDate!, $endDate: LocalDate!) {
  requestLoan(productId: $productId, startDate: $startDate, endDate: $endDate) { id status }
}`;

/** Credentials of a write, as each target takes them: the hub an API key, the others a signed identity. */
export interface Writer {
  customer: Record<string, string>;
  member: Record<string, string>;
}

/** The member of the seed who borrows, and the customer who books. */
export const BORROWER = { kind: "member", id: "demo-person-1" } as const;
export const CUSTOMER = { kind: "customer", id: "bench-client" } as const;

type Query = <T>(query: string) => Promise<T>;

/** 200 territories from the data: the Hauts-de-France region's members, breadth first (départements, EPCI, communes). */
export async function benchTerritories(query: Query, count = 200): Promise<string[]> {
  const found: string[] = [];
  const queue = ["REG:32"];
  while (queue.length && found.length < count) {
    const id = queue.shift()!;
    const { territory } = await query<{
      territory: { members: { nodes: { id: string }[] } } | null;
    }>(`{ territory(id: "${id}") { members(first: 500) { nodes { id } } } }`);
    for (const { id: member } of territory?.members.nodes ?? []) {
      if (found.length < count) found.push(member);
      queue.push(member);
    }
  }
  return found;
}

/** Every commune of a région (`COM:` under its départements and EPCI), each once. */
export async function communesOf(query: Query, region = "REG:32"): Promise<string[]> {
  const communes = new Set<string>();
  const seen = new Set([region]);
  const queue = [region];
  while (queue.length) {
    const id = queue.shift()!;
    let after: string | null = null;
    do {
      const { territory }: { territory: TerritoryMembers | null } = await query(
        `{ territory(id: "${id}") { members(first: 500${after ? `, after: "${after}"` : ""}) { nodes { id } pageInfo { hasNextPage endCursor } } } }`,
      );
      for (const { id: member } of territory?.members.nodes ?? []) {
        if (member.startsWith("COM:")) communes.add(member);
        else if (!seen.has(member)) {
          seen.add(member);
          queue.push(member);
        }
      }
      after = territory?.members.pageInfo.hasNextPage ? territory.members.pageInfo.endCursor : null;
    } while (after);
  }
  return [...communes];
}

interface TerritoryMembers {
  members: {
    nodes: { id: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** The same shuffle for every target (a fixed seed): each sees the pages in the same order. */
export function shuffled<T>(items: readonly T[], seed = 32): T[] {
  const result = [...items];
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

export interface WriteMaterial {
  /** Free slots of every repairer over the next 60 days, each with a bike type it repairs. */
  slots: { repairerId: string; slotTime: string; bikeTypeId: string }[];
  /** Public products the borrower does not own. */
  productIds: string[];
}

export async function writeMaterial(query: Query): Promise<WriteMaterial> {
  const { territory } = await query<{
    territory: {
      repairers: {
        nodes: { id: string; bikeTypes: { id: string }[]; availableSlots: { times: string[] }[] }[];
      };
    };
  }>(
    `{ territory(id: "REG:32") { repairers(first: 100) { nodes { id bikeTypes { id } availableSlots(days: 60) { times } } } } }`,
  );
  const slots = territory.repairers.nodes.flatMap((r) =>
    r.availableSlots.flatMap((day) =>
      day.times.map((slotTime) => ({ repairerId: r.id, slotTime, bikeTypeId: r.bikeTypes[0]!.id })),
    ),
  );
  const products = await query<{
    territory: { products: { nodes: { id: string; type: string; owner: { id: string } }[] } };
  }>(
    `{ territory(id: "REG:32") { products(first: 100, type: OBJECT) { nodes { id type owner { id } } } } }`,
  );
  const productIds = products.territory.products.nodes
    .filter((p) => p.owner.id !== BORROWER.id)
    .map((p) => p.id);
  // Slots in a shuffled order, so that bookings spread over repairers as real ones do.
  slots.sort((a, b) => hash(a.repairerId + a.slotTime) - hash(b.repairerId + b.slotTime));
  return { slots, productIds };
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

export const portalCalls = (territories: readonly string[]): GraphQLCall[] =>
  territories.map((territoryId) => ({ query: PORTAL_QUERY, variables: { territoryId } }));

export const statsCalls = (): GraphQLCall[] => STATS_QUERIES.map((query) => ({ query }));

/** The directory's search as a portal's search box sends it: a prefix of a few letters. */
export const searchCalls = (): GraphQLCall[] => [
  {
    query: `query SearchTerritories { territories(search: "lil", first: 10) { nodes { id name population } } }`,
  },
];

/**
 * The write workload: for every two portal reads, a booking and a loan request, each on its own
 * free slot (a slot booked twice would be refused), for up to `count` calls.
 */
export function writeCalls(
  material: WriteMaterial,
  territories: readonly string[],
  writer: Writer,
  count: number,
): GraphQLCall[] {
  const calls: GraphQLCall[] = [];
  const start = new Date(Date.now() + 30 * 86_400_000);
  for (let i = 0; calls.length < count; i++) {
    const slot = material.slots.shift();
    // Out of free slots, the calls so far are sent again: their bookings are then refused and counted as errors.
    if (!slot) break;
    const startDate = new Date(start.getTime() + (i % 200) * 86_400_000).toISOString().slice(0, 10);
    const endDate = new Date(start.getTime() + ((i % 200) + 3) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    calls.push(
      { query: PORTAL_QUERY, variables: { territoryId: territories[i % territories.length] } },
      {
        query: BOOK,
        variables: { input: { ...slot, prestationId: "probleme-de-frein" } },
        headers: writer.customer,
      },
      {
        query: PORTAL_QUERY,
        variables: { territoryId: territories[(i + 100) % territories.length] },
      },
      {
        query: BORROW,
        variables: {
          productId: material.productIds[i % material.productIds.length],
          startDate,
          endDate,
        },
        headers: writer.member,
      },
    );
  }
  return calls;
}

/** A mutation's subgraph: both selections above are the subgraph's own fields, so its plan is that one call. */
export function mutationSubgraph(call: GraphQLCall): string | undefined {
  if (call.query === BOOK) return "bookings";
  if (call.query === BORROW) return "exchanges";
  return undefined;
}

/** What the workloads draw their requests from, read from the data once per size. */
export interface BenchData {
  /** 200 territories, breadth first from the région. */
  territories: string[];
  /** Every commune of the Hauts-de-France, shuffled. */
  communes: string[];
  material: WriteMaterial;
  /** The hub's API keys for the writes. */
  hubWriter: Writer;
  /** The same identities signed for Hive Gateway and the direct calls, just before their run. */
  signedFor(target: Target, calls: GraphQLCall[]): Promise<GraphQLCall[]>;
  /** How many writes this target gets: its share of the free slots left. */
  writeShare(target: Target): number;
}

/**
 * One workload of the bench. A new one (a file of its own) joins `WORKLOADS` below; `--workloads`
 * picks them by name.
 */
export interface Workload {
  name: string;
  connections: number;
  /** What the table says it sends. */
  description: string;
  calls(data: BenchData, target: Target): Promise<GraphQLCall[]>;
  /**
   * Sent before the measure, 2 s then each distinct one once (pages of a portal in use have each
   * been visited); the workload's own reads when unset.
   */
  warmUp?(data: BenchData): GraphQLCall[];
  /** Seconds between the warm-up and the measure (for answers to expire). */
  pauseSeconds?: number;
  /** The measure sends each call once and ends with them (pages that must each be expired when asked). */
  once?: boolean;
}

/**
 * The revisit's pages: from the end of the long tail's order, which a run never reaches; each is
 * asked once in the measure, so as many as its run lasts a few seconds.
 */
const REVISITED = 600;

export const WORKLOADS: readonly Workload[] = [
  {
    name: "portal",
    connections: 10,
    description:
      'the playground\'s "près de chez moi" (`1-pres-de-chez-moi.graphql`: the four subgraphs) for 200 territories of the Hauts-de-France (départements, EPCI, communes, breadth first from `REG:32`), in turn',
    calls: async ({ territories }) => portalCalls(territories),
  },
  {
    name: "hot",
    connections: 50,
    description: "the same page for Lomme only",
    calls: async () => portalCalls([HOT_TERRITORY]),
  },
  {
    name: "analyst",
    connections: 10,
    description: "the four statistics operations of the playground (`3-` to `6-`), in turn",
    calls: async () => statsCalls(),
  },
  {
    name: "longtail",
    connections: 10,
    description:
      "the same page for every commune of the Hauts-de-France (3,700 and more), in a random order, each about once: a response cache barely helps; warmed up on Lomme's page only",
    calls: async ({ communes }) => portalCalls(communes),
    warmUp: () => portalCalls([HOT_TERRITORY]),
  },
  {
    name: "revisit",
    connections: 10,
    description:
      "600 communes' pages (from the other end of the long tail's order) visited once, then each once again 61 s later: each answer has expired (30 s where a repairer's next free slot shows, 60 s for a commune's catalogue otherwise), the parts from the directory and the engagements (10 min) have not",
    calls: async ({ communes }) => portalCalls(communes.slice(-REVISITED)),
    pauseSeconds: 61,
    once: true,
  },
  {
    name: "search",
    connections: 1,
    description:
      "`territories(search: \"lil\", first: 10)`, the directory's search box (the foundation's target is its p50 with the cache off)",
    calls: async () => searchCalls(),
  },
  {
    name: "write",
    connections: 10,
    description:
      "for every two portal reads, one `bookAppointment` (a customer, each on a free slot read from the data) and one `requestLoan` (a member of the seed); writes must succeed: a refused one counts as an error",
    calls: async (data, target) => {
      const calls = writeCalls(
        data.material,
        data.territories,
        data.hubWriter,
        Math.min(4 * data.writeShare(target), 8_000),
      );
      return data.signedFor(target, calls);
    },
  },
];
