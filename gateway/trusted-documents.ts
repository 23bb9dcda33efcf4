import { readFileSync } from "node:fs";
import type { ApolloServerPlugin } from "@apollo/server";
import { InMemoryLRUCache, type KeyValueCache } from "@apollo/utils.keyvaluecache";
import { printExecutableGraphQLDocument } from "@graphql-tools/documents";
import { type DocumentNode, GraphQLError, parse } from "graphql";
import type { Identity } from "../lib/identity.js";
import type { AppDocuments } from "./registry/apps.js";

/**
 * Trusted documents: the operations of the portal that codegen knows
 * (`operations/generated/persisted-documents.json`, `sha256:<hash>` → document). Clients may
 * send one by its hash alone (Apollo's persisted-query protocol) or in full; in the
 * `anonymous` mode, anonymous clients may send nothing else, while any caller with a key may.
 */
export interface TrustedDocumentsOptions {
  /** `TRUSTED_DOCUMENTS`: `off` (default) or `anonymous`. */
  mode: "off" | "anonymous";
  /** `TRUSTED_DOCUMENTS_FILE` */
  file: string;
}

export function readTrustedDocumentsOptions(
  env: NodeJS.ProcessEnv = process.env,
): TrustedDocumentsOptions {
  const mode = env.TRUSTED_DOCUMENTS ?? "off";
  if (mode !== "off" && mode !== "anonymous")
    throw new Error(`TRUSTED_DOCUMENTS must be "off" or "anonymous" (got "${mode}")`);
  return {
    mode,
    file: env.TRUSTED_DOCUMENTS_FILE || "operations/generated/persisted-documents.json",
  };
}

export interface TrustedDocuments {
  byHash: Map<string, string>;
  /** The documents in codegen's normal form (sorted, spaced alike), so that a full text matches whatever its layout. */
  printed: Set<string>;
}

export function loadTrustedDocuments(file: string): TrustedDocuments {
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const byHash = new Map(
    Object.entries(manifest).map(([key, document]) => [key.replace(/^sha256:/, ""), document]),
  );
  return {
    byHash,
    printed: new Set(
      [...byHash.values()].map((document) => printExecutableGraphQLDocument(parse(document))),
    ),
  };
}

/**
 * The persisted-query store of Apollo Server: trusted documents first (the hub's, then those of the
 * active app deployments); other queries are remembered only when anonymous clients are not
 * restricted to trusted documents.
 */
export function persistedQueryStore(
  documents: TrustedDocuments,
  { acceptNew, apps }: { acceptNew: boolean; apps?: AppDocuments },
): KeyValueCache<string> {
  const others = new InMemoryLRUCache<string>();
  return {
    get: async (key) => {
      const hash = key.replace(/^apq:/, "");
      return (
        documents.byHash.get(hash) ?? apps?.get(hash) ?? (acceptNew ? others.get(key) : undefined)
      );
    },
    set: async (key, value, options) => {
      if (acceptNew) await others.set(key, value, options);
    },
    delete: (key) => others.delete(key),
  };
}

export function isTrusted(documents: TrustedDocuments, document: DocumentNode): boolean {
  return documents.printed.has(printExecutableGraphQLDocument(document));
}

/**
 * In the `anonymous` mode, refuses an anonymous operation that is not a trusted document: one of
 * the hub's own, or of an active app deployment.
 */
export function trustedDocumentsPlugin(
  documents: TrustedDocuments,
  apps?: AppDocuments,
): ApolloServerPlugin<{ identity: Identity }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document }) {
          if (
            contextValue.identity.role !== "anonymous" ||
            isTrusted(documents, document) ||
            apps?.appOf(document)
          )
            return;
          throw new GraphQLError(
            "Cette opération n'est pas enregistrée : sans clé d'API, seules les opérations du hub et des applications déployées sont acceptées.",
            {
              extensions: { code: "OPERATION_NOT_TRUSTED", http: { status: 403 } },
            },
          );
        },
      };
    },
  };
}
