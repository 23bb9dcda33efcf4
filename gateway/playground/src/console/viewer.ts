export interface Viewer {
  role: "admin" | "partner";
  partner: string | null;
}

export interface Subgraph {
  name: string;
  owner: string | null;
  status: string;
  routingUrl: string | null;
  version: number | null;
  publishedBy: string | null;
  publishedAt: string | null;
  health: "HEALTHY" | "UNHEALTHY" | null;
  breaker: "CLOSED" | "OPEN" | "HALF_OPEN";
  timeoutMs: number;
  builtIn: boolean;
}

/** The hub's own subgraphs are nobody's to publish over; a partner acts on its own only. */
export const editable = (subgraph: Subgraph, viewer: Viewer): boolean =>
  !subgraph.builtIn && (viewer.role === "admin" || subgraph.owner === viewer.partner);
