import { CriticalityLevel, diff } from "@graphql-inspector/core";
import {
  buildSchema,
  type DocumentNode,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  visit,
} from "graphql";

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
export function schemaChanges(beforeApiSdl: string, afterApiSdl: string): Promise<SchemaChange[]> {
  return changesBetween(buildSchema(beforeApiSdl), buildSchema(afterApiSdl));
}

/** The same between two schemas however built (the console diffs subgraph SDLs with it). */
export async function changesBetween(
  before: GraphQLSchema,
  after: GraphQLSchema,
): Promise<SchemaChange[]> {
  const changes = await diff(before, after);
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
  if (field === undefined)
    return [...coordinates].some((coordinate) => coordinate.startsWith(`${type}.`));
  return coordinates.has(`${type}.${field}`);
}

/** Whether a coordinate (`Type`, `Type.field`, `Type.field.argument`, `Enum.VALUE`) exists in a schema. */
export function hasCoordinate(schema: GraphQLSchema, path: string): boolean {
  const [typeName = "", member, argument] = path.split(".");
  const type = schema.getType(typeName);
  if (!type || member === undefined) return Boolean(type);
  if (isEnumType(type)) return type.getValue(member) !== undefined;
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) return false;
  const field = type.getFields()[member];
  if (!field || argument === undefined) return Boolean(field);
  return "args" in field && field.args.some((arg) => arg.name === argument);
}

/**
 * Whether an SDL takes fields over from other subgraphs (`@override`, under any name its `@link`
 * gives it): a partner would then answer for the hub's own fields without changing the schema.
 */
export function overridesFields(document: DocumentNode): boolean {
  const names = new Set(["override", "federation__override"]);
  visit(document, {
    ObjectField(node) {
      // `import: [{ name: "@override", as: "@prendre" }]`
      if (node.name.value !== "as" || node.value.kind !== Kind.STRING) return;
      names.add(node.value.value.replace(/^@/, ""));
    },
  });
  let found = false;
  visit(document, {
    Directive(node) {
      if (names.has(node.name.value)) found = true;
    },
  });
  return found;
}
