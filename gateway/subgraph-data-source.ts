import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError } from "graphql";
import type { GatewayMetrics } from "./observability/metrics.js";

/**
 * How the gateway calls a subgraph. Each call is timed; when the subgraph cannot be reached, the
 * error names the subgraph and no internal address: only the fields it serves are lost.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly name: string,
    url: string,
    private readonly metrics: GatewayMetrics,
  ) {
    super({ url });
  }

  override process(options: GraphQLDataSourceProcessOptions) {
    return this.metrics.timeSubgraph(this.name, () => super.process(options));
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError && error.extensions.code !== undefined) throw error;
    throw new GraphQLError(`Le service « ${this.name} » ne répond pas ; le reste de la réponse reste valable.`, {
      extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: this.name },
    });
  }
}
