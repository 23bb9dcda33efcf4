import { randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/** Who may do what in the hub. */
export const ROLES = [
  "anonymous",
  "partner",
  "analyst",
  "collectivite_agent",
  "repairer",
  "customer",
  "exchange_member",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

/** What an identity acts for, where its role is tied to one: a collectivité, a repairer, a repairer's customer, an EBS member, a partner. */
export const ACTS_FOR_KINDS = [
  "collectivite",
  "repairer",
  "customer",
  "member",
  "partner",
] as const;
export type ActsForKind = (typeof ACTS_FOR_KINDS)[number];

export interface Identity {
  role: Role;
  /** Who it is: an API key's id, a JWT's subject; null when anonymous. */
  subject: string | null;
  actsFor: { kind: ActsForKind; id: string } | null;
}

export const ANONYMOUS: Identity = Object.freeze({
  role: "anonymous",
  subject: null,
  actsFor: null,
});

/** The header the gateway sets on every subgraph call; anything a client sends under it is dropped. */
export const IDENTITY_HEADER = "x-hub-identity";

const ISSUER = "declics-hub-gateway";
const AUDIENCE = "declics-hub-subgraphs";
/** The signed identity lives for one request; a minute covers slow plans and clock drift. */
const LIFETIME = "60s";

/**
 * The key the gateway signs identities with and the subgraphs verify them with
 * (`HUB_IDENTITY_SECRET`, at least 32 characters). Unset, each process draws its own: the
 * one-process `npm start` works, and a subgraph deployed apart answers no gateway until the
 * secret is shared.
 */
export function identitySecret(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const configured = env.HUB_IDENTITY_SECRET;
  if (configured) {
    if (configured.length < 32)
      throw new Error("HUB_IDENTITY_SECRET must be at least 32 characters long");
    return new TextEncoder().encode(configured);
  }
  processSecret ??= randomBytes(32);
  return processSecret;
}
let processSecret: Uint8Array | undefined;

export async function signIdentity(identity: Identity, secret: Uint8Array): Promise<string> {
  return new SignJWT({ role: identity.role, actsFor: identity.actsFor })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(identity.subject ?? "anonymous")
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(secret);
}

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

function isActsFor(value: unknown): value is Identity["actsFor"] {
  if (value === null) return true;
  const candidate = value as { kind?: unknown; id?: unknown } | undefined;
  return (
    typeof candidate?.id === "string" &&
    (ACTS_FOR_KINDS as readonly unknown[]).includes(candidate.kind)
  );
}

/** The identity a subgraph call carries, or null when it is missing, forged, expired or malformed. */
export async function verifyIdentity(
  token: string | undefined,
  secret: Uint8Array,
): Promise<Identity | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    const actsFor = payload.actsFor ?? null;
    if (!isRole(payload.role) || !isActsFor(actsFor)) return null;
    return {
      role: payload.role,
      subject: payload.sub === "anonymous" ? null : (payload.sub ?? null),
      actsFor,
    };
  } catch {
    return null;
  }
}

const SERVICE_ISSUER = "declics-hub-service";

/**
 * A token of the same secret for a tool of the hub's operators that calls subgraphs itself (the
 * bench's direct target, a check run against one subgraph): its calls are anonymous.
 */
export async function signServiceToken(
  name: string,
  secret: Uint8Array,
  lifetime = "1d",
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(SERVICE_ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(`service:${name}`)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(secret);
}

/**
 * Who calls a subgraph: the identity a gateway of the hub signed, anonymous for a service token
 * (`Authorization: Bearer …`), or null for anyone else, whom the subgraph does not answer.
 */
export async function verifySubgraphCaller(
  identityToken: string | undefined,
  authorization: string | undefined,
  secret: Uint8Array,
): Promise<Identity | null> {
  const identity = await verifyIdentity(identityToken, secret);
  if (identity) return identity;
  const [scheme, token] = authorization?.split(" ", 2) ?? [];
  if (scheme?.toLowerCase() !== "bearer" || !token) return null;
  return jwtVerify(token, secret, {
    issuer: SERVICE_ISSUER,
    audience: AUDIENCE,
    algorithms: ["HS256"],
  }).then(
    () => ANONYMOUS,
    () => null,
  );
}
