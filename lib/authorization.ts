import type { AuthCheckerFn } from "type-graphql";
import { userError } from "./graphql/errors.js";
import type { ActsForKind, Identity, Role } from "./identity.js";

/**
 * type-graphql's auth checker for `@Authorized(...roles)`: an admin may do anything, an
 * anonymous caller is asked to authenticate, any other role not listed is forbidden.
 */
export const authChecker: AuthCheckerFn<{ identity: Identity }, Role> = ({ context }, roles) => {
  const { role } = context.identity;
  if (role === "admin" || roles.includes(role)) return true;
  if (role === "anonymous")
    throw userError("UNAUTHENTICATED", "Identifiez-vous (clé d'API ou jeton) pour faire cela.");
  throw userError("FORBIDDEN", "Votre rôle ne permet pas de faire cela.");
};

/** Whether the caller acts for this collectivité, repairer or member (an admin acts for all). */
export function actsFor(identity: Identity, kind: ActsForKind, id: string): boolean {
  return (
    identity.role === "admin" || (identity.actsFor?.kind === kind && identity.actsFor.id === id)
  );
}

/** The id the caller acts for, of this kind; refused when it acts for none. */
export function actingId(identity: Identity, kind: ActsForKind): string {
  if (identity.actsFor?.kind !== kind)
    throw userError(
      "FORBIDDEN",
      `Cette clé n'agit pour aucun ${kind === "member" ? "membre" : kind}.`,
    );
  return identity.actsFor.id;
}
