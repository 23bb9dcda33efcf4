import type { SupergraphManager, SupergraphSdlHook } from "@apollo/gateway";
import { composeSupergraph, type SubgraphSource, type Supergraph } from "./composition.js";

type HookOptions = Parameters<SupergraphSdlHook>[0];

/**
 * Feeds `@apollo/gateway` with a supergraph composed here rather than by `IntrospectAndCompose`,
 * so that subgraphs can be added, replaced or removed while the gateway serves. A composition
 * that fails is reported to the caller and never reaches the gateway: the live graph goes on.
 */
export class HubSupergraphManager implements SupergraphManager {
  private sources: SubgraphSource[];
  private current: Supergraph;
  private update: HookOptions["update"] | undefined;
  private healthCheck: HookOptions["healthCheck"] | undefined;

  constructor(sources: SubgraphSource[]) {
    this.sources = [...sources];
    this.current = composeSupergraph(this.sources);
  }

  async initialize({ update, healthCheck }: HookOptions) {
    this.update = update;
    this.healthCheck = healthCheck;
    return {
      supergraphSdl: this.current.supergraphSdl,
      cleanup: async () => {
        this.update = undefined;
      },
    };
  }

  get supergraph(): Supergraph {
    return this.current;
  }

  get subgraphs(): readonly SubgraphSource[] {
    return this.sources;
  }

  /** Whether the gateway has taken the supergraph (it calls `initialize` on start). */
  get loaded(): boolean {
    return this.update !== undefined;
  }

  /** Composes the given subgraphs and, when that succeeds, serves them. Throws `CompositionFailed` otherwise. */
  async replaceSubgraphs(
    sources: SubgraphSource[],
    { checkHealth = false } = {},
  ): Promise<Supergraph> {
    const next = composeSupergraph(sources);
    if (checkHealth && this.healthCheck) await this.healthCheck(next.supergraphSdl);
    this.serve(sources, next);
    return next;
  }

  /** Serves a supergraph already composed from these subgraphs (by the registry, for one). */
  serve(sources: SubgraphSource[], supergraph: Supergraph): void {
    this.sources = [...sources];
    this.current = supergraph;
    this.update?.(supergraph.supergraphSdl);
  }

  /** Adds a subgraph, or replaces the one of the same name. */
  upsertSubgraph(source: SubgraphSource, options?: { checkHealth?: boolean }): Promise<Supergraph> {
    return this.replaceSubgraphs(
      [...this.sources.filter((s) => s.name !== source.name), source],
      options,
    );
  }

  removeSubgraph(name: string): Promise<Supergraph> {
    return this.replaceSubgraphs(this.sources.filter((s) => s.name !== name));
  }
}
