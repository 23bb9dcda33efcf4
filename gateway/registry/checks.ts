import {
  buildSchema,
  type DocumentNode,
  type GraphQLSchema,
  isObjectType,
  Kind,
  parse,
  print,
} from "graphql";
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
import { type ShapeBounds, shapeRefusal } from "./shape.js";

/** An operation clients sent recently, as the registry recorded it (`registry.operations`). */
export interface RecordedOperation {
  name: string | null;
  signature: string;
  lastSeenAt: Date;
  coordinates: string[];
  /** The client that sent it, or the app deployment it belongs to (whose hash is its signature). */
  clientName?: string | null;
  clientVersion?: string | null;
}

export interface BrokenOperation {
  name: string | null;
  signature: string;
  lastSeenAt: Date;
  /** The breaking changes it would suffer, by path. */
  paths: string[];
  clientName: string | null;
  clientVersion: string | null;
}

export interface ChangeToCheck {
  /** The hub's own subgraphs, composed with every version. */
  builtIns: readonly SubgraphSource[];
  /** The subgraph version the change serves (published or rolled back to); null for a removal. */
  served: SubgraphSource | null;
  /**
   * The SDL this subgraph serves now, when a publication keeps its URL and deadline: if `served`
   * only lays it out differently, the publication is `Unchanged`. Compared here, off the
   * gateway's event loop, after the shape check (parsing a partner's megabyte takes a while).
   */
  servedNow: string | null;
  bounds: ShapeBounds;
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
  /** The operations the breaking changes would break (none when forced). */
  broken: BrokenOperation[];
  /**
   * Why the change is refused once composed and diffed (HUB_SCHEMA_PROTECTED, BREAKING_CHANGE);
   * null when it passes. A publication throws it (`refusalError`), a check reports it.
   */
  refusal: Refusal | null;
}

/** A re-publication of the SDL served now, layout and comments aside: nothing to compose or store. */
export interface Unchanged {
  unchanged: true;
}

export interface Refusal {
  code: string;
  message: string;
  extensions: Record<string, unknown>;
}

/** The user error a publication fails with for a refusal. */
export function refusalError({ code, message, extensions }: Refusal) {
  return userError(code, message, extensions);
}

/**
 * Every check a change of the registry goes through, on data alone: it composes, diffs the API
 * clients see, protects what the hub's own subgraphs serve, and checks breaking changes against
 * the operations clients sent. Throws the user error that refuses a change that cannot be
 * composed; returns the refusal of one that composes but breaks what it may not.
 */
export async function checkChange(change: ChangeToCheck): Promise<CheckedChange | Unchanged> {
  const { builtIns, current, candidate } = change;
  const served = change.served && readSdl(change.served.sdl);
  if (served) {
    const refusal = shapeRefusal(served, change.bounds);
    if (refusal) throw refusalError(refusal);
    if (change.servedNow !== null && print(served) === print(parse(change.servedNow)))
      return { unchanged: true };
    checkTakesNothingOver(served);
  }
  const hubApiSdl = change.hubApiSdl ?? composeSupergraph(builtIns).apiSdl;
  const hub = buildSchema(hubApiSdl);
  if (served) checkPartnerFieldsNullable(served, hub);
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
  const broken = change.operations ? brokenOperations(breaking, change.operations) : [];
  const checked = { supergraph, changes, hubApiSdl, broken };
  const onHub = breaking.filter((c) => c.path && hasCoordinate(hub, c.path));
  if (onHub.length > 0)
    return {
      ...checked,
      refusal: {
        code: "HUB_SCHEMA_PROTECTED",
        message: `Ce changement casserait des champs des sous-graphes du hub : ${onHub.map((c) => c.path).join(", ")}.`,
        extensions: { changes: onHub },
      },
    };
  // One entry per operation and client: the message names each operation once.
  const names = new Map(broken.map((o) => [o.signature, o.name ?? o.signature.slice(0, 12)]));
  if (broken.length > 0)
    return {
      ...checked,
      refusal: {
        code: "BREAKING_CHANGE",
        message: `Changement cassant pour ${names.size} opération(s) envoyée(s) ces ${change.usageDays} derniers jours : ${[...names.values()].join(", ")}. Publiez avec force (--force) pour passer outre.`,
        extensions: { changes: breaking, operations: broken },
      },
    };
  return { ...checked, refusal: null };
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
        clientName: operation.clientName ?? null,
        clientVersion: operation.clientVersion ?? null,
      });
  }
  return broken;
}

function readSdl(sdl: string): DocumentNode {
  try {
    return parse(sdl);
  } catch (error) {
    throw badUserInput(`SDL illisible : ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A published subgraph adds fields: it may not take over those of others (`@override`). */
export function checkTakesNothingOver(document: DocumentNode): void {
  if (overridesFields(document))
    throw userError(
      "HUB_SCHEMA_PROTECTED",
      "@override est refusé : un sous-graphe publié ajoute des champs, il ne reprend pas ceux des autres.",
    );
}

/**
 * A field a partner adds to a type of the hub's own subgraphs (`Territory`, `Platform`...), and a
 * partner's root field, must be nullable: when the partner fails, such a field alone becomes null.
 * Non-null, its null would blank the hub's object around it, or the whole answer. Forced or not.
 */
export function checkPartnerFieldsNullable(document: DocumentNode, hub: GraphQLSchema): void {
  const fields = nonNullablePartnerFields(document, hub);
  if (fields.length > 0)
    throw userError(
      "PARTNER_FIELD_NOT_NULLABLE",
      `Champs non nullables refusés : ${fields.join(", ")}. Un champ ajouté à un type du hub ou à la racine doit être nullable (une liste peut avoir des éléments non nuls : [T!]) : si le sous-graphe ne répond pas, seul ce champ devient null.`,
      { fields },
    );
}

/** Root fields @apollo/subgraph adds to every subgraph, for the gateway only. */
const FEDERATION_FIELDS = new Set(["_entities", "_service"]);

export function nonNullablePartnerFields(document: DocumentNode, hub: GraphQLSchema): string[] {
  const roots = new Set(["Query", "Mutation", "Subscription"]);
  for (const definition of document.definitions)
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION)
      for (const operation of definition.operationTypes ?? []) roots.add(operation.type.name.value);
  const found: string[] = [];
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION
    )
      continue;
    const name = definition.name.value;
    const hubType = hub.getType(name);
    const hubFields = hubType && isObjectType(hubType) ? hubType.getFields() : undefined;
    if (!hubFields && !roots.has(name)) continue;
    for (const field of definition.fields ?? []) {
      // The hub's own fields (an entity's key) are the hub's to type.
      if (
        field.type.kind === Kind.NON_NULL_TYPE &&
        !hubFields?.[field.name.value] &&
        !FEDERATION_FIELDS.has(field.name.value)
      )
        found.push(`${name}.${field.name.value}`);
    }
  }
  return found;
}
