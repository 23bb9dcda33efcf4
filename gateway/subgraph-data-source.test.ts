import { describe, expect, it } from "vitest";
import { IDENTITY_HEADER, type Identity, verifyIdentity } from "../lib/identity.js";
import { GatewayMetrics } from "./observability/metrics.js";
import { SubgraphGuard } from "./resilience/guard.js";
import { readResilienceSettings } from "./resilience/settings.js";
import { SubgraphDataSource } from "./subgraph-data-source.js";

const secret = new TextEncoder().encode("s".repeat(40));
const caller: Identity = { role: "admin", subject: "key:abc", actsFor: null };

async function headersSentBy(source: SubgraphDataSource): Promise<Headers> {
  const headers = new Headers();
  await source.willSendRequest({
    request: { http: { headers } },
    context: { identity: caller },
  } as never);
  return headers;
}

describe("calls to subgraphs", () => {
  const metrics = new GatewayMetrics();
  const guard = new SubgraphGuard({ settings: readResilienceSettings(), isBuiltIn: () => true });

  it("carry the caller's identity, signed, to the hub's own subgraphs", async () => {
    const headers = await headersSentBy(
      new SubgraphDataSource("directory", "http://127.0.0.1:1/graphql", metrics, secret, guard),
    );
    expect(await verifyIdentity(headers.get(IDENTITY_HEADER) ?? undefined, secret)).toEqual(caller);
  });

  it("carry no identity to a partner's subgraph, which could replay it to the hub's", async () => {
    const headers = await headersSentBy(
      new SubgraphDataSource("carpool", "http://127.0.0.1:1/graphql", metrics, null, guard),
    );
    expect(headers.has(IDENTITY_HEADER)).toBe(false);
  });
});
