import type { Database } from "../../lib/database.js";
import { userError } from "../../lib/graphql/errors.js";
import { ANONYMOUS, type Identity } from "../../lib/identity.js";
import { identityOfApiKey, looksLikeApiKey } from "./api-keys.js";
import { createJwtVerifier, type JwtIssuerConfig } from "./jwt.js";

/** Refused before anything runs, with HTTP 401. */
const unauthenticated = (message: string) =>
  userError("UNAUTHENTICATED", message, { http: { status: 401 } });

/** Keys are looked up at most once a minute per process, not once per request. */
const CACHE_MILLISECONDS = 60_000;

/**
 * Who a request comes from: no credential is anonymous; an API key or a JWT of the configured
 * issuer gives its identity; a credential that does not verify is refused, never downgraded to
 * anonymous, so that a client learns its key is wrong.
 */
export function createAuthenticator(db: Database, jwt?: JwtIssuerConfig) {
  const verifyJwt = jwt ? createJwtVerifier(jwt) : undefined;
  const cache = new Map<string, { identity: Identity | null; until: number }>();

  return async (authorization: string | undefined): Promise<Identity> => {
    if (!authorization) return ANONYMOUS;
    const [scheme, credential] = authorization.split(" ", 2);
    if (scheme?.toLowerCase() !== "bearer" || !credential)
      throw unauthenticated("En-tête Authorization attendu : « Bearer <clé ou jeton> ».");
    const cached = cache.get(credential);
    let identity = cached && cached.until > Date.now() ? cached.identity : undefined;
    if (identity === undefined) {
      identity = looksLikeApiKey(credential)
        ? await identityOfApiKey(db, credential)
        : ((await verifyJwt?.(credential)) ?? null);
      if (cache.size > 10_000) cache.clear();
      cache.set(credential, { identity, until: Date.now() + CACHE_MILLISECONDS });
    }
    if (!identity) throw unauthenticated("Clé d'API ou jeton invalide, expiré ou révoqué.");
    return identity;
  };
}
