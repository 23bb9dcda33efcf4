import { describe, expect, it, vi } from "vitest";
import { CompositionFailed, composeSupergraph, type SubgraphSource } from "./composition.js";
import { HubSupergraphManager } from "./supergraph-manager.js";

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;
const source = (name: string, fields: string): SubgraphSource => ({
  name,
  url: `http://127.0.0.1/${name}`,
  sdl: `${link}
    type Query { ${name}: Int }
    type Territory @key(fields: "id") { id: ID! ${fields} }`,
});
const directory = source("directory", "name: String!");
const bookings = source("bookings", "repairerCount: Int!");
const carpool = source("carpool", "carpoolOffers: Int!");

/** A manager as the gateway starts it, with the hooks the gateway gives. */
async function started(sources: SubgraphSource[], healthCheck = vi.fn(async () => {})) {
  const manager = new HubSupergraphManager(sources);
  const update = vi.fn();
  const { supergraphSdl, cleanup } = await manager.initialize({
    update,
    healthCheck,
    getDataSource: vi.fn(),
  } as unknown as Parameters<HubSupergraphManager["initialize"]>[0]);
  return { manager, update, healthCheck, supergraphSdl, cleanup };
}

describe("the supergraph manager", () => {
  it("hands the gateway the composition of its subgraphs on start", async () => {
    const manager = new HubSupergraphManager([directory, bookings]);
    expect(manager.loaded).toBe(false);
    const { supergraphSdl } = await started([directory, bookings]);
    expect(supergraphSdl).toBe(composeSupergraph([directory, bookings]).supergraphSdl);
  });

  it("serves an added, replaced or removed subgraph at once", async () => {
    const { manager, update } = await started([directory, bookings]);
    expect(manager.loaded).toBe(true);
    await manager.upsertSubgraph(carpool);
    expect(manager.subgraphs.map((s) => s.name)).toEqual(["directory", "bookings", "carpool"]);
    expect(update).toHaveBeenLastCalledWith(manager.supergraph.supergraphSdl);
    expect(manager.supergraph.apiSdl).toContain("carpoolOffers");

    await manager.upsertSubgraph(source("carpool", "carpoolOffers: Int! seats: Int!"));
    expect(manager.subgraphs.map((s) => s.name)).toEqual(["directory", "bookings", "carpool"]);
    expect(manager.supergraph.apiSdl).toContain("seats");

    await manager.removeSubgraph("carpool");
    expect(manager.supergraph.apiSdl).not.toContain("carpoolOffers");
    expect(update).toHaveBeenCalledTimes(3);
  });

  it("keeps serving the live supergraph when a change does not compose", async () => {
    const { manager, update } = await started([directory, bookings]);
    const live = manager.supergraph;
    await expect(manager.upsertSubgraph(source("carpool", "name: Int!"))).rejects.toBeInstanceOf(
      CompositionFailed,
    );
    expect(manager.supergraph).toBe(live);
    expect(manager.subgraphs.map((s) => s.name)).toEqual(["directory", "bookings"]);
    expect(update).not.toHaveBeenCalled();
  });

  it("checks the subgraphs' health before serving when asked, and serves nothing that fails it", async () => {
    const healthCheck = vi.fn(async () => {
      throw new Error("carpool is down");
    });
    const { manager, update } = await started([directory], healthCheck);
    await expect(manager.upsertSubgraph(carpool, { checkHealth: true })).rejects.toThrow(
      "carpool is down",
    );
    expect(healthCheck).toHaveBeenCalledWith(composeSupergraph([directory, carpool]).supergraphSdl);
    expect(update).not.toHaveBeenCalled();
    expect(manager.subgraphs.map((s) => s.name)).toEqual(["directory"]);
  });

  it("stops updating the gateway once the gateway has cleaned it up", async () => {
    const { manager, update, cleanup } = await started([directory]);
    await cleanup?.();
    await manager.upsertSubgraph(carpool);
    expect(update).not.toHaveBeenCalled();
    expect(manager.loaded).toBe(false);
  });
});
