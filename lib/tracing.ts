import type { ApolloServerPlugin } from "@apollo/server";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";

/**
 * OpenTelemetry traces, sent over OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` when it is set; when
 * it is not, no SDK is even loaded and every span below is a no-op: no call leaves the process.
 * Spans: Apollo Gateway's own (`gateway.request`, `gateway.plan`, `gateway.fetch`...), and one per
 * request in each subgraph, joined to the gateway's trace by the W3C `traceparent` header.
 * Returns what flushes and stops the export, or undefined when tracing is off.
 */
export async function startTracing(
  env: NodeJS.ProcessEnv = process.env,
): Promise<(() => Promise<void>) | undefined> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  const [
    { BatchSpanProcessor, NodeTracerProvider },
    { OTLPTraceExporter },
    { resourceFromAttributes },
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "declics-hub" }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, "")}/v1/traces` }),
      ),
    ],
  });
  // The async-hooks context manager and the W3C trace-context propagator.
  provider.register();
  return () => provider.shutdown();
}

const tracer = trace.getTracer("declics-hub");

/** Adds the current trace's `traceparent` to a call's headers (nothing when tracing is off). */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}

/** A span for each request a subgraph answers, child of the gateway's fetch when the call carries one. */
export function subgraphTracingPlugin(subgraph: string): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const headers = request.http?.headers;
      const parent = propagation.extract(context.active(), headers, {
        get: (carrier, key) => carrier?.get(key) ?? undefined,
        keys: (carrier) => (carrier ? [...carrier.keys()] : []),
      });
      const span = tracer.startSpan(
        `subgraph ${subgraph}`,
        { kind: SpanKind.SERVER, attributes: { "graphql.subgraph": subgraph } },
        parent,
      );
      return {
        async willSendResponse({ operationName, errors }) {
          if (operationName) span.setAttribute("graphql.operation.name", operationName);
          if (errors?.length)
            span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]!.message });
          span.end();
        },
      };
    },
  };
}
