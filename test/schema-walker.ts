import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from "graphql";

/** Values for required arguments, by `Type.field.argument`, then by argument name. */
export type ArgumentSamples = Record<string, unknown>;

function literal(value: unknown): string {
  if (typeof value === "string" && /^[A-Z][A-Z_]*$/.test(value)) return value; // an enum value
  return JSON.stringify(value);
}

function sampleFor(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  argument: GraphQLArgument,
  samples: ArgumentSamples,
): unknown {
  const exact = samples[`${type.name}.${field.name}.${argument.name}`] ?? samples[argument.name];
  if (exact !== undefined) return exact;
  const named = getNamedType(argument.type as GraphQLInputType);
  if (isEnumType(named)) return named.getValues()[0]?.name;
  return undefined;
}

/**
 * Builds, for each root query field, an operation that selects every field reachable from it,
 * down to `maxDepth`, each type once along a path (so cycles end), with the arguments a sample
 * table provides. Fields whose required arguments have no sample are left out, and listed.
 */
export function walkQueries(
  schema: GraphQLSchema,
  samples: ArgumentSamples,
  maxDepth = 5,
): { queries: Map<string, string>; skipped: string[] } {
  const skipped: string[] = [];

  const argumentsOf = (
    type: GraphQLObjectType,
    field: GraphQLField<unknown, unknown>,
  ): string | null => {
    const parts: string[] = [];
    for (const argument of field.args) {
      const value = sampleFor(type, field, argument, samples);
      if (value === undefined) {
        if (isNonNullType(argument.type) && argument.defaultValue === undefined) return null;
        continue;
      }
      if (isInputObjectType(getNamedType(argument.type as GraphQLInputType))) continue;
      parts.push(`${argument.name}: ${literal(value)}`);
    }
    return parts.length ? `(${parts.join(", ")})` : "";
  };

  const selection = (type: GraphQLNamedType, path: Set<string>, depth: number): string | null => {
    if (isScalarType(type) || isEnumType(type)) return "";
    if (isUnionType(type) || isInterfaceType(type)) return "{ __typename }";
    if (!isObjectType(type)) return null;
    const fields: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const args = argumentsOf(type, field);
      if (args === null) {
        skipped.push(`${type.name}.${field.name}`);
        continue;
      }
      const named = getNamedType(field.type);
      if (isScalarType(named) || isEnumType(named)) {
        fields.push(`${field.name}${args}`);
        continue;
      }
      if (depth >= maxDepth || path.has(named.name)) continue;
      const inner = selection(named, new Set([...path, named.name]), depth + 1);
      if (inner) fields.push(`${field.name}${args} ${inner}`);
    }
    return fields.length ? `{ ${fields.join(" ")} }` : null;
  };

  const queries = new Map<string, string>();
  const query = schema.getQueryType()!;
  for (const field of Object.values(query.getFields())) {
    const args = argumentsOf(query, field);
    if (args === null) {
      skipped.push(`Query.${field.name}`);
      continue;
    }
    const named = getNamedType(field.type);
    const inner = selection(named, new Set([named.name]), 1);
    if (inner !== null) queries.set(field.name, `{ ${field.name}${args} ${inner} }`);
  }
  return { queries, skipped };
}

export function apiSchema(sdl: string): GraphQLSchema {
  return buildSchema(sdl);
}

/** Every string anywhere in a JSON answer. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}
