// The gateway phones home by default (cloud resource detectors, OTLP metrics to Apollo): never here.
process.env.APOLLO_TELEMETRY_DISABLED = "true";

import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { DatabaseHandle } from "../lib/database.js";
import { listen, type RunningServer } from "../lib/http.js";
import { type Identity, identitySecret } from "../lib/identity.js";
import { createAuthenticator } from "./access/authenticate.js";
import { readJwtConfig } from "./access/jwt.js";
import type { SubgraphSource } from "./composition.js";
import { type RequestLimits, readRequestLimits } from "./limits/config.js";
import { type CostAnnotations, readCostAnnotations } from "./limits/cost.js";
import { documentLimits } from "./limits/document-limits.js";
import { operationBudgetPlugin } from "./limits/operation-budget.js";
import {
  createRateLimiter,
  type RateLimitOptions,
  readRateLimitOptions,
} from "./limits/rate-limit.js";
import { graphqlRequestBody, jsonErrorHandler, notFound } from "./limits/request-body.js";
import { GatewayMetrics } from "./observability/metrics.js";
import { privateUnlessAnonymous } from "./performance/anonymous.js";
import { inFlightDeduplication } from "./performance/dedup.js";
import { fetchCache } from "./performance/fetch-cache.js";
import { fetchDeduplication } from "./performance/fetch-dedup.js";
import { responseCache } from "./performance/response-cache.js";
import {
  createSharedCache,
  deploymentNamespace,
  readSharedCacheOptions,
  type SharedCacheOptions,
} from "./performance/shared-cache.js";
import { composeLayers } from "./performance/subgraph-fetch.js";
import { type PlaygroundOptions, playgroundRouter, readPlaygroundOptions } from "./playground.js";
import { adminApi } from "./registry/admin-api/index.js";
import { Registry } from "./registry/registry.js";
import type { RegistrySettings } from "./registry/settings.js";
import { SubgraphGuard } from "./resilience/guard.js";
import { type ResilienceSettings, readResilienceSettings } from "./resilience/settings.js";
import { SubgraphDataSource } from "./subgraph-data-source.js";
import { HubSupergraphManager } from "./supergraph-manager.js";
import {
  loadTrustedDocuments,
  persistedQueryStore,
  readTrustedDocumentsOptions,
  type TrustedDocumentsOptions,
  trustedDocumentsPlugin,
} from "./trusted-documents.js";
import { metricsExposition } from "./workers.js";

export interface GatewayOptions {
  subgraphs: SubgraphSource[];
  /** The hub's own database (registry, operation records); `/ready` checks it answers. */
  database: DatabaseHandle;
  port: number;
  host?: string;
  /** Defaults from the environment (`LIMIT_*`). */
  limits?: RequestLimits;
  /** Defaults from the environment (`RATE_LIMIT_*`, `REDIS_URL`). */
  rateLimit?: RateLimitOptions;
  /** Each unset one from the environment (`RESPONSE_CACHE`, `FETCH_CACHE`, `DEDUPLICATION`: `off` to disable; `REDIS_URL`, `CACHE_MAX_MB`). */
  performance?: Partial<PerformanceOptions>;
  /** Defaults from the environment (`TRUSTED_DOCUMENTS`, `TRUSTED_DOCUMENTS_FILE`). */
  trustedDocuments?: TrustedDocumentsOptions;
  /** Defaults from the environment (`PLAYGROUND_ENABLED`, `INTROSPECTION_ENABLED`). */
  playground?: PlaygroundOptions & { introspection: boolean };
  /** Defaults from the environment (`REGISTRY_*`). */
  registry?: RegistrySettings;
  /** Defaults from the environment (`SUBGRAPH_TIMEOUT_MS`, `PARTNER_TIMEOUT_MS`, `SUBGRAPH_BREAKER_*`, `SUBGRAPH_RETRY*`). */
  resilience?: ResilienceSettings;
  log?: (line: string) => void;
}

export interface GatewayContext {
  identity: Identity;
}

export interface PerformanceOptions {
  /** Whole anonymous answers, served before parsing. */
  responseCache: boolean;
  /** Anonymous subgraph fetches, for their subgraph's `Cache-Control`. */
  fetchCache: boolean;
  /** Identical queries, and identical subgraph fetches, merged while in flight. */
  deduplication: boolean;
  /** Where both caches live: Redis, shared by every gateway process, or this process's memory. */
  cache: SharedCacheOptions;
}

export function readPerformanceOptions(env: NodeJS.ProcessEnv = process.env): PerformanceOptions {
  return {
    responseCache: env.RESPONSE_CACHE !== "off",
    fetchCache: env.FETCH_CACHE !== "off",
    deduplication: env.DEDUPLICATION !== "off",
    cache: readSharedCacheOptions(env),
  };
}

const EMPTY_ANNOTATIONS = readCostAnnotations("scalar None");

export interface RunningGateway extends RunningServer {
  manager: HubSupergraphManager;
  registry: Registry;
}

export async function startGateway({
  subgraphs,
  database,
  port,
  host = "127.0.0.1",
  limits = readRequestLimits(),
  rateLimit = readRateLimitOptions(),
  performance: performanceSettings,
  trustedDocuments = readTrustedDocumentsOptions(),
  playground = readPlaygroundOptions(),
  registry: registrySettings,
  resilience = readResilienceSettings(),
  log = () => {},
}: GatewayOptions): Promise<RunningGateway> {
  const performance = { ...readPerformanceOptions(), ...performanceSettings };
  const documents = loadTrustedDocuments(trustedDocuments.file);
  const trustedOnly = trustedDocuments.mode === "anonymous";
  const manager = new HubSupergraphManager(subgraphs);
  const metrics = new GatewayMetrics(database.statements);
  const builtInNames = new Set(subgraphs.map((s) => s.name));
  const guard = new SubgraphGuard({
    settings: resilience,
    isBuiltIn: (name) => builtInNames.has(name),
    onBreakerChange: (subgraph, state) => {
      log(`subgraph ${subgraph}: circuit breaker ${state}`);
      metrics.breakerState(subgraph, state);
    },
  });
  // Partners' subgraphs published in the registry join the hub's own before the first request.
  const registry = new Registry({
    database,
    manager,
    builtIns: subgraphs,
    guard,
    ...(registrySettings ? { settings: registrySettings } : {}),
    log,
  });
  await registry.start();
  const documentChecks = documentLimits(limits);
  const authenticate = createAuthenticator(database.db, readJwtConfig());
  const rateLimiter = await createRateLimiter(rateLimit, (authorization) =>
    authenticate(authorization).then(
      (identity) => identity.subject,
      () => null,
    ),
  );
  const secret = identitySecret();
  const cache = await createSharedCache(
    performance.cache,
    deploymentNamespace(secret),
    (kind, hit) => metrics.cache.inc({ cache: kind, result: hit ? "hit" : "miss" }),
  );
  const fetchLayer = composeLayers(
    ...(performance.fetchCache ? [fetchCache(cache)] : []),
    ...(performance.deduplication
      ? [fetchDeduplication(() => metrics.deduplicated.inc({ level: "fetch" }))]
      : []),
  );
  const gateway = new ApolloGateway({
    supergraphSdl: manager,
    buildService: ({ name, url }) => {
      const own = registry.isBuiltIn(name);
      return new SubgraphDataSource(
        name,
        url!,
        metrics,
        own ? secret : null,
        guard,
        own ? undefined : registry.partnerFetch,
        fetchLayer,
      );
    },
  });
  // The cost directives live in the supergraph, not in the API schema the plugins are given.
  const costAnnotations = new WeakMap<object, CostAnnotations>();
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    costAnnotations.set(apiSchema, readCostAnnotations(coreSupergraphSdl));
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    introspection: playground.introspection,
    formatError: documentChecks.formatError,
    parseOptions: documentChecks.parseOptions,
    validationRules: documentChecks.validationRules,
    persistedQueries: {
      cache: persistedQueryStore(documents, {
        acceptNew: !trustedOnly,
        apps: registry.appDocuments,
      }),
    },
    plugins: [
      metrics.plugin(),
      registry.usage.plugin(),
      privateUnlessAnonymous(),
      ApolloServerPluginLandingPageDisabled(),
      ...documentChecks.plugins,
      operationBudgetPlugin(limits, (schema) => costAnnotations.get(schema) ?? EMPTY_ANNOTATIONS),
      ...(trustedOnly ? [trustedDocumentsPlugin(documents, registry.appDocuments)] : []),
      // An identical query already under way (cached answers are served before Apollo Server).
      ...(performance.deduplication
        ? [inFlightDeduplication(() => metrics.deduplicated.inc({ level: "request" }))]
        : []),
    ],
  });
  await apollo.start();
  const admin = await adminApi(registry, authenticate);

  const app = express();
  app.disable("x-powered-by");
  // First: a hit of the response cache is the hub's most frequent answer, so no other route is tried before it.
  app.use(
    "/graphql",
    rateLimiter.middleware,
    ...graphqlRequestBody("1mb"),
    ...(performance.responseCache
      ? [responseCache(cache, trustedOnly ? () => registry.appDocuments.fingerprint : undefined)]
      : []),
    // The caller is verified once here; subgraphs get a signed copy (SubgraphDataSource).
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ identity: await authenticate(req.get("authorization")) }),
    }),
  );
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/ready", async (_req, res) => {
    const checks = {
      supergraph: manager.loaded,
      database: await database.ping().then(
        () => true,
        () => false,
      ),
    };
    res
      .status(checks.supergraph && checks.database ? 200 : 503)
      .json({ status: checks.supergraph && checks.database ? "ready" : "not ready", checks });
  });
  app.use(playgroundRouter(playground));
  const exposition = metricsExposition(metrics.registry);
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await exposition());
  });
  // Routers poll it: 304 while the ETag they hold is current. Checked here rather than by Express,
  // which ignores If-None-Match when the request says `Cache-Control: no-cache`, as fetch() does.
  app.get("/supergraph.graphql", (req, res) => {
    const { supergraphSdl, hash } = manager.supergraph;
    const etag = `"${hash}"`;
    res.set({ ETag: etag, "Cache-Control": "no-cache" });
    if (
      req
        .get("if-none-match")
        ?.split(/\s*,\s*/)
        .some((tag) => tag.replace(/^W\//, "") === etag)
    )
      res.status(304).end();
    else res.type("text/plain; charset=utf-8").send(supergraphSdl);
  });
  app.use("/admin/graphql", rateLimiter.middleware, ...admin.handler);
  app.use(notFound);
  app.use(jsonErrorHandler);
  const server = await listen(app, port, host);
  return {
    url: `${server.url}/graphql`,
    manager,
    registry,
    close: async () => {
      await server.close();
      await apollo.stop();
      await admin.stop();
      await registry.close();
      await rateLimiter.close();
      await cache.close();
    },
  };
}
