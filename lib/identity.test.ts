import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  ANONYMOUS,
  type Identity,
  signIdentity,
  signServiceToken,
  verifyIdentity,
  verifySubgraphCaller,
} from "./identity.js";

const secret = new TextEncoder().encode("a-test-secret-that-is-long-enough-1234");
const agent: Identity = {
  role: "collectivite_agent",
  subject: "key-1",
  actsFor: { kind: "collectivite", id: "lomme" },
};

describe("signed identities between the gateway and the subgraphs", () => {
  it("carries the role, the subject and what it acts for", async () => {
    expect(await verifyIdentity(await signIdentity(agent, secret), secret)).toEqual(agent);
  });

  it("rejects a missing, forged or foreign token", async () => {
    expect(await verifyIdentity(undefined, secret)).toBeNull();
    expect(await verifyIdentity("not-a-token", secret)).toBeNull();
    const otherSecret = new TextEncoder().encode("another-secret-that-is-long-enough-5678");
    expect(await verifyIdentity(await signIdentity(agent, otherSecret), secret)).toBeNull();
    // Well signed, but not issued by the gateway for the subgraphs.
    const foreign = await new SignJWT({ role: "admin", actsFor: null })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("someone")
      .setExpirationTime("1m")
      .sign(secret);
    expect(await verifyIdentity(foreign, secret)).toBeNull();
  });

  it("rejects an expired token or an unknown role", async () => {
    const expired = await new SignJWT({ role: "admin", actsFor: null })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("declics-hub-gateway")
      .setAudience("declics-hub-subgraphs")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(secret);
    expect(await verifyIdentity(expired, secret)).toBeNull();
    const unknownRole = await signIdentity({ ...agent, role: "superuser" as never }, secret);
    expect(await verifyIdentity(unknownRole, secret)).toBeNull();
  });

  it("lets a subgraph answer a gateway's identity or a service token of the same secret, nobody else", async () => {
    const service = `Bearer ${await signServiceToken("bench", secret)}`;
    expect(
      await verifySubgraphCaller(await signIdentity(agent, secret), undefined, secret),
    ).toEqual(agent);
    expect(await verifySubgraphCaller(undefined, service, secret)).toEqual(ANONYMOUS);
    expect(await verifySubgraphCaller(undefined, undefined, secret)).toBeNull();
    const otherSecret = new TextEncoder().encode("another-secret-that-is-long-enough-5678");
    const foreign = `Bearer ${await signServiceToken("bench", otherSecret)}`;
    expect(await verifySubgraphCaller(undefined, foreign, secret)).toBeNull();
    // An identity token is no service token: it lives a minute and is verified as such.
    expect(
      await verifySubgraphCaller(undefined, `Bearer ${await signIdentity(agent, secret)}`, secret),
    ).toBeNull();
  });
});
