// The gateway phones home by default (cloud resource detectors, OTLP metrics to Apollo): never here.
process.env.APOLLO_TELEMETRY_DISABLED = "true";

import express from "express";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import type { DatabaseHandle } from "../lib/database.js";
import { maskInternalErrors } from "../lib/graphql/errors.js";
import { listen, type RunningServer } from "../lib/http.js";
import type { SubgraphSource } from "./composition.js";
import { SubgraphDataSource } from "./subgraph-data-source.js";
import { HubSupergraphManager } from "./supergraph-manager.js";

export interface GatewayOptions {
  subgraphs: SubgraphSource[];
  /** The hub's own database (registry, operation records); `/ready` checks it answers. */
  database: DatabaseHandle;
  port: number;
  host?: string;
}

export interface RunningGateway extends RunningServer {
  manager: HubSupergraphManager;
}

export async function startGateway({ subgraphs, database, port, host = "127.0.0.1" }: GatewayOptions): Promise<RunningGateway> {
  const manager = new HubSupergraphManager(subgraphs);
  const gateway = new ApolloGateway({ supergraphSdl: manager, buildService: ({ name, url }) => new SubgraphDataSource(name, url!) });
  const apollo = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: maskInternalErrors,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/ready", async (_req, res) => {
    const checks = { supergraph: manager.loaded, database: await database.ping().then(() => true, () => false) };
    res.status(checks.supergraph && checks.database ? 200 : 503).json({ status: checks.supergraph && checks.database ? "ready" : "not ready", checks });
  });
  app.get("/supergraph.graphql", (_req, res) => {
    res.type("text/plain; charset=utf-8").send(manager.supergraph.supergraphSdl);
  });
  app.use("/graphql", express.json({ limit: "1mb" }), expressMiddleware(apollo));

  const server = await listen(app, port, host);
  return {
    url: `${server.url}/graphql`,
    manager,
    close: async () => {
      await server.close();
      await apollo.stop();
    },
  };
}
