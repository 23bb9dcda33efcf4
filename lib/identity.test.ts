import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { ANONYMOUS, type Identity, signIdentity, verifyIdentity } from "./identity.js";

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

  it("treats a missing, forged or foreign token as anonymous", async () => {
    expect(await verifyIdentity(undefined, secret)).toEqual(ANONYMOUS);
    expect(await verifyIdentity("not-a-token", secret)).toEqual(ANONYMOUS);
    const otherSecret = new TextEncoder().encode("another-secret-that-is-long-enough-5678");
    expect(await verifyIdentity(await signIdentity(agent, otherSecret), secret)).toEqual(ANONYMOUS);
    // Well signed, but not issued by the gateway for the subgraphs.
    const foreign = await new SignJWT({ role: "admin", actsFor: null })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("someone")
      .setExpirationTime("1m")
      .sign(secret);
    expect(await verifyIdentity(foreign, secret)).toEqual(ANONYMOUS);
  });

  it("treats an expired token or an unknown role as anonymous", async () => {
    const expired = await new SignJWT({ role: "admin", actsFor: null })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("declics-hub-gateway")
      .setAudience("declics-hub-subgraphs")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(secret);
    expect(await verifyIdentity(expired, secret)).toEqual(ANONYMOUS);
    const unknownRole = await signIdentity({ ...agent, role: "superuser" as never }, secret);
    expect(await verifyIdentity(unknownRole, secret)).toEqual(ANONYMOUS);
  });
});
