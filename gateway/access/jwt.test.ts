import { createHmac, createPublicKey } from "node:crypto";
import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
} from "jose";
import { describe, expect, it } from "vitest";
import { createJwtVerifier } from "./jwt.js";

const ISSUER = "https://connexion.exemple-cooperative.test";
const AUDIENCE = "declics-hub";
const keys = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
const verify = createJwtVerifier(
  {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl: "https://connexion.exemple-cooperative.test/jwks",
  },
  createLocalJWKSet({ keys: [jwk] }),
);
const CLAIMS = { hub_role: "exchange_member", hub_acts_for: "member:demo-person-3" };

const signed = (
  claims: JWTPayload = CLAIMS,
  { issuer = ISSUER, audience = AUDIENCE, expires = "5m" as string | number } = {},
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject("utilisateur-42")
    .setExpirationTime(expires)
    .sign(keys.privateKey);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const payload = {
  ...CLAIMS,
  iss: ISSUER,
  aud: AUDIENCE,
  sub: "utilisateur-42",
  exp: Math.floor(Date.now() / 1000) + 300,
};

describe("JWTs of a configured issuer", () => {
  it("gives the identity of a token signed by the issuer's key with the hub's claims", async () => {
    expect(await verify(await signed())).toEqual({
      role: "exchange_member",
      subject: "jwt:utilisateur-42",
      actsFor: { kind: "member", id: "demo-person-3" },
    });
  });

  it("refuses an unsigned token (alg: none)", async () => {
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(payload)}.`;
    expect(await verify(unsigned)).toBeNull();
  });

  it("refuses an HS256 token whose secret is the issuer's public key", async () => {
    const header = base64url({ alg: "HS256", typ: "JWT", kid: "k1" });
    const body = base64url(payload);
    for (const secret of [
      await exportSPKI(keys.publicKey),
      createPublicKey(await exportSPKI(keys.publicKey)).export({ format: "der", type: "spki" }),
      JSON.stringify(jwk),
    ]) {
      const signature = createHmac("sha256", secret)
        .update(`${header}.${body}`)
        .digest("base64url");
      expect(await verify(`${header}.${body}.${signature}`)).toBeNull();
    }
  });

  it("refuses another issuer, another audience, an expired token", async () => {
    expect(await verify(await signed(CLAIMS, { issuer: "https://ailleurs.test" }))).toBeNull();
    expect(await verify(await signed(CLAIMS, { audience: "un-autre-service" }))).toBeNull();
    expect(
      await verify(await signed(CLAIMS, { expires: Math.floor(Date.now() / 1000) - 120 })),
    ).toBeNull();
  });

  it("refuses a token without the hub's claims, or claiming admin", async () => {
    expect(await verify(await signed({}))).toBeNull();
    expect(await verify(await signed({ hub_role: "superuser" }))).toBeNull();
    expect(await verify(await signed({ hub_role: "admin" }))).toBeNull();
  });
});
