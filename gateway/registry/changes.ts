import { CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema } from "graphql";

export type Criticality = "BREAKING" | "DANGEROUS" | "SAFE";

export interface SchemaChange {
  criticality: Criticality;
  type: string;
  message: string;
  /** Schema coordinate it touches: `Type`, `Type.field`, `Type.field.argument`, `Enum.VALUE`. */
  path: string | null;
}

const CRITICALITY: Record<CriticalityLevel, Criticality> = {
  [CriticalityLevel.Breaking]: "BREAKING",
  [CriticalityLevel.Dangerous]: "DANGEROUS",
  [CriticalityLevel.NonBreaking]: "SAFE",
};

/** What clients would see change between two API schemas, classified by @graphql-inspector/core. */
export async function schemaChanges(beforeApiSdl: string, afterApiSdl: string): Promise<SchemaChange[]> {
  const changes = await diff(buildSchema(beforeApiSdl), buildSchema(afterApiSdl));
  return changes.map((change) => ({
    criticality: CRITICALITY[change.criticality.level],
    type: change.type,
    message: change.message,
    path: change.path ?? null,
  }));
}

/**
 * Whether a change touches what an operation read. Operations are recorded as coordinates:
 * `Type.field` for each field selected, `Type.field.argument` for each argument given, and the
 * bare name of each enum or input type they used (see `operationCoordinates`).
 */
export function affects(change: SchemaChange, coordinates: ReadonlySet<string>): boolean {
  if (!change.path) return false;
  const [type = "", field] = change.path.split(".");
  if (coordinates.has(change.path) || coordinates.has(type)) return true;
  if (field === undefined) return [...coordinates].some((coordinate) => coordinate.startsWith(`${type}.`));
  return coordinates.has(`${type}.${field}`);
}
