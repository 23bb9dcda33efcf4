import { buildSchema } from "graphql";
import { badUserInput, userError } from "../../lib/graphql/errors.js";
import {
  CompositionFailed,
  composeSupergraph,
  type SubgraphSource,
  type Supergraph,
} from "../composition.js";
import {
  affects,
  hasCoordinate,
  overridesFields,
  type SchemaChange,
  schemaChanges,
} from "./changes.js";

/** An operation clients sent recently, as the registry recorded it (`registry.operations`). */
export interface RecordedOperation {
  name: string | null;
  signature: string;
  lastSeenAt: Date;
  coordinates: string[];
}

export interface BrokenOperation {
  name: string | null;
  signature: string;
  lastSeenAt: Date;
  /** The breaking changes it would suffer, by path. */
  paths: string[];
}

export interface ChangeToCheck {
  /** The hub's own subgraphs, composed with every version. */
  builtIns: readonly SubgraphSource[];
  /** The registry's subgraphs served now, and as they would be after the change. */
  current: readonly SubgraphSource[];
  candidate: readonly SubgraphSource[];
  /** The live supergraph's API, when it was composed with these same hub subgraphs. */
  liveApiSdl: string | null;
  /** What the hub's own subgraphs serve alone, when already known (see `CheckedChange`). */
  hubApiSdl: string | null;
  /** Operations clients sent lately, checked against breaking changes; null when forced. */
  operations: readonly RecordedOperation[] | null;
  usageDays: number;
}

export interface CheckedChange {
  supergraph: Supergraph;
  changes: SchemaChange[];
  hubApiSdl: string;
}

/**
 * Every check a change of the registry goes through, on data alone: it composes, diffs the API
 * clients see, protects what the hub's own subgraphs serve, and checks breaking changes against
 * the operations clients sent. Throws the user error that refuses the change.
 */
export async function checkChange(change: ChangeToCheck): Promise<CheckedChange> {
  const { builtIns, current, candidate } = change;
  const beforeApi = change.liveApiSdl ?? composeSupergraph([...builtIns, ...current]).apiSdl;
  let supergraph: Supergraph;
  try {
    supergraph = composeSupergraph([...builtIns, ...candidate]);
  } catch (error) {
    if (!(error instanceof CompositionFailed)) throw error;
    throw userError(
      "COMPOSITION_FAILED",
      `La composition échoue : ${error.issues.length} erreur(s) ; le graphe servi ne change pas.`,
      { compositionErrors: error.issues },
    );
  }
  const changes = await schemaChanges(beforeApi, supergraph.apiSdl);
  const breaking = changes.filter((c) => c.criticality === "BREAKING");
  const hubApiSdl = change.hubApiSdl ?? composeSupergraph(builtIns).apiSdl;
  const hub = buildSchema(hubApiSdl);
  const onHub = breaking.filter((c) => c.path && hasCoordinate(hub, c.path));
  if (onHub.length > 0) {
    throw userError(
      "HUB_SCHEMA_PROTECTED",
      `Ce changement casserait des champs des sous-graphes du hub : ${onHub.map((c) => c.path).join(", ")}.`,
      { changes: onHub },
    );
  }
  if (breaking.length > 0 && change.operations) {
    const broken = brokenOperations(breaking, change.operations);
    if (broken.length > 0) {
      throw userError(
        "BREAKING_CHANGE",
        `Changement cassant pour ${broken.length} opération(s) envoyée(s) ces ${change.usageDays} derniers jours : ${broken.map((o) => o.name ?? o.signature.slice(0, 12)).join(", ")}. Publiez avec force pour passer outre.`,
        { changes: breaking, operations: broken },
      );
    }
  }
  return { supergraph, changes, hubApiSdl };
}

/** The operations that read what a breaking change removes or changes, with the paths they would lose. */
export function brokenOperations(
  breaking: readonly SchemaChange[],
  operations: readonly RecordedOperation[],
): BrokenOperation[] {
  const broken: BrokenOperation[] = [];
  for (const operation of operations) {
    const coordinates = new Set(operation.coordinates);
    const paths = breaking.filter((c) => affects(c, coordinates)).map((c) => c.path!);
    if (paths.length > 0)
      broken.push({
        name: operation.name,
        signature: operation.signature,
        lastSeenAt: operation.lastSeenAt,
        paths,
      });
  }
  return broken;
}

/** A published subgraph adds fields: it may not take over those of others (`@override`). */
export function checkTakesNothingOver(sdl: string): void {
  let overrides: boolean;
  try {
    overrides = overridesFields(sdl);
  } catch (error) {
    throw badUserInput(`SDL illisible : ${error instanceof Error ? error.message : String(error)}`);
  }
  if (overrides)
    throw userError(
      "HUB_SCHEMA_PROTECTED",
      "@override est refusé : un sous-graphe publié ajoute des champs, il ne reprend pas ceux des autres.",
    );
}
