import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from "jose";
import {
  ACTS_FOR_KINDS,
  type ActsForKind,
  type Identity,
  ROLES,
  type Role,
} from "../../lib/identity.js";

/** A platform with its own login: its tokens are accepted when they come from this issuer. */
export interface JwtIssuerConfig {
  /** `JWT_ISSUER` */
  issuer: string;
  /** `JWT_JWKS_URL`: where the issuer publishes its public keys. */
  jwksUrl: string;
  /** `JWT_AUDIENCE` */
  audience: string;
}

export function readJwtConfig(env: NodeJS.ProcessEnv = process.env): JwtIssuerConfig | undefined {
  const { JWT_ISSUER: issuer, JWT_JWKS_URL: jwksUrl, JWT_AUDIENCE: audience } = env;
  if (!issuer && !jwksUrl && !audience) return undefined;
  if (!issuer || !jwksUrl || !audience)
    throw new Error("JWT_ISSUER, JWT_JWKS_URL and JWT_AUDIENCE go together");
  return { issuer, jwksUrl, audience };
}

/**
 * Signatures by a key pair only: an issuer publishes public keys, so a token "signed" with none
 * (`alg: none`) or with a shared secret (HS256, for which its public key would serve as secret) is
 * refused whatever the key set holds.
 */
const PUBLIC_KEY_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
];

/**
 * Verifies a token of the configured issuer (signature from its JWKS, issuer, audience, expiry)
 * and reads the hub's claims: `hub_role`, and `hub_acts_for` as `kind:id` (e.g. `repairer:12`).
 */
export function createJwtVerifier(
  config: JwtIssuerConfig,
  keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl)),
) {
  return async (token: string): Promise<Identity | null> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: PUBLIC_KEY_ALGORITHMS,
      });
      const role = payload.hub_role;
      if (
        typeof role !== "string" ||
        !(ROLES as readonly string[]).includes(role) ||
        role === "admin"
      )
        return null;
      const [kind, id] =
        typeof payload.hub_acts_for === "string" ? payload.hub_acts_for.split(":", 2) : [];
      const actsFor =
        kind && id && (ACTS_FOR_KINDS as readonly string[]).includes(kind)
          ? { kind: kind as ActsForKind, id }
          : null;
      return { role: role as Role, subject: `jwt:${payload.sub ?? "?"}`, actsFor };
    } catch {
      return null;
    }
  };
}
