import { createHash } from "node:crypto";
import { composeServices } from "@apollo/composition";
import { parse, printSchema } from "graphql";

/** A subgraph as the gateway sees it: where to route, and the SDL it serves at `_service { sdl }`. */
export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export interface CompositionIssue {
  code: string;
  message: string;
  /** The subgraphs the error involves, when composition names them. */
  subgraphs: string[];
}

export class CompositionFailed extends Error {
  constructor(readonly issues: CompositionIssue[]) {
    super(
      `La composition du supergraphe a échoué :\n${issues.map((i) => `- [${i.code}] ${i.message}`).join("\n")}`,
    );
  }
}

export interface Supergraph {
  /** The supergraph SDL routers execute (with `join__` directives). */
  supergraphSdl: string;
  /** The schema clients see, without the federation machinery. */
  apiSdl: string;
  /** SHA-256 of the supergraph SDL: its ETag at `/supergraph.graphql`. */
  hash: string;
}

export const supergraphHash = (supergraphSdl: string) =>
  createHash("sha256").update(supergraphSdl).digest("hex");

/** Composes subgraphs with `@apollo/composition`; throws `CompositionFailed` with every error. */
export function composeSupergraph(sources: readonly SubgraphSource[]): Supergraph {
  const result = composeServices(
    sources.map((source) => ({ name: source.name, url: source.url, typeDefs: parse(source.sdl) })),
  );
  if (result.errors) {
    throw new CompositionFailed(
      result.errors.map((error) => ({
        code: String(error.extensions?.code ?? "COMPOSITION_ERROR"),
        message: error.message,
        subgraphs: sources.map((s) => s.name).filter((name) => error.message.includes(`"${name}"`)),
      })),
    );
  }
  return {
    supergraphSdl: result.supergraphSdl,
    hash: supergraphHash(result.supergraphSdl),
    apiSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
  };
}
