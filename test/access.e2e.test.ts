import express from "express";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../gateway/access/api-keys.js";
import { listen, type RunningServer } from "../lib/http.js";
import { IDENTITY_HEADER, signIdentity } from "../lib/identity.js";
import { RequestLoanDocument } from "../operations/generated/graphql.js";
import { request, startTestHub, type TestHub } from "./harness.js";

const REQUEST = { productId: "demo-product-01", startDate: "2032-03-01", endDate: "2032-03-02" };
const keys = await generateKeyPair("RS256");
const ISSUER = "https://connexion.exemple-cooperative.test";

let hub: TestHub;
let jwks: RunningServer;
beforeAll(async () => {
  // A platform with its own login publishes its keys; the hub is configured to trust it.
  const app = express();
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  app.get("/jwks.json", (_req, res) => {
    res.json({ keys: [jwk] });
  });
  jwks = await listen(app, 0, "127.0.0.1");
  Object.assign(process.env, {
    JWT_ISSUER: ISSUER,
    JWT_JWKS_URL: `${jwks.url}/jwks.json`,
    JWT_AUDIENCE: "declics-hub",
  });
  hub = await startTestHub();
});
afterAll(async () => {
  for (const name of ["JWT_ISSUER", "JWT_JWKS_URL", "JWT_AUDIENCE"]) delete process.env[name];
  await hub?.close();
  await jwks?.close();
});

const token = (claims: Record<string, unknown>, { issuer = ISSUER, expires = "5m" } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(issuer)
    .setAudience("declics-hub")
    .setSubject("utilisateur-42")
    .setExpirationTime(expires)
    .sign(keys.privateKey);

describe("identity", () => {
  it("accepts a JWT of the configured issuer with the hub's claims", async () => {
    const jwt = await token({ hub_role: "exchange_member", hub_acts_for: "member:demo-person-3" });
    const { data, errors } = await hub.query(RequestLoanDocument, REQUEST, {
      authorization: `Bearer ${jwt}`,
    });
    expect(errors).toBeUndefined();
    expect(data?.requestLoan.status).toBe("NEW");
  });

  it("refuses a JWT of another issuer, an expired one, and one that claims to be admin", async () => {
    for (const jwt of [
      await token(
        { hub_role: "exchange_member", hub_acts_for: "member:demo-person-3" },
        { issuer: "https://ailleurs.test" },
      ),
      await token(
        { hub_role: "exchange_member", hub_acts_for: "member:demo-person-3" },
        { expires: "-1m" as never },
      ),
      await token({ hub_role: "admin" }),
    ]) {
      const { errors } = await hub.query(RequestLoanDocument, REQUEST, {
        authorization: `Bearer ${jwt}`,
      });
      expect(errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses a revoked API key", async () => {
    const { id, key } = await createApiKey(hub.database.db, {
      name: "révoquée",
      role: "exchange_member",
      actsFor: { kind: "member", id: "demo-person-3" },
    });
    await revokeApiKey(hub.database.db, id);
    const { errors } = await hub.query(RequestLoanDocument, REQUEST, {
      authorization: `Bearer ${key}`,
    });
    expect(errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("never forwards an identity header sent by a client", async () => {
    const forged = await signIdentity(
      { role: "admin", subject: "intrus", actsFor: null },
      new TextEncoder().encode("x".repeat(40)),
    );
    const { errors } = await hub.query(RequestLoanDocument, REQUEST, { [IDENTITY_HEADER]: forged });
    expect(errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a subgraph's caller with a forged or missing identity", async () => {
    const exchanges = hub.subgraphs.get("exchanges")!.url;
    const mutation = `mutation { requestLoan(productId: "demo-product-01", startDate: "2032-04-01", endDate: "2032-04-02") { id } }`;
    const forged = await signIdentity(
      { role: "admin", subject: "intrus", actsFor: null },
      new TextEncoder().encode("y".repeat(40)),
    );
    for (const headers of [
      {},
      { [IDENTITY_HEADER]: forged },
      { [IDENTITY_HEADER]: "pas-un-jeton" },
    ] as Record<string, string>[]) {
      const { errors } = await request(exchanges, mutation, undefined, headers);
      expect(errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("keeps CSRF prevention on: a simple cross-site request is refused", async () => {
    const simple = await fetch(
      `${hub.gatewayUrl}/graphql?query=${encodeURIComponent("{ __typename }")}`,
    );
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);
  });

  it("answers a malformed Authorization header with 401", async () => {
    const response = await fetch(`${hub.gatewayUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic dXNlcjpwYXNz" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: "UNAUTHENTICATED" } }],
    });
  });
});
