import { collectSubFields } from "@graphql-tools/utils";
import {
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  getArgumentValues,
  getNamedType,
  isObjectType,
} from "graphql";

/**
 * The arguments of each selection of `path` under the field being resolved (`["platforms"]`,
 * `["nodes", "nextAvailableSlot"]`; fragments included, on the type or an interface it
 * implements, `@skip`/`@include` and variables applied, one per response key): a resolver can
 * start the lookups its children will ask for in its own turn, so that they share its statement
 * instead of waiting for its rows.
 */
export function childSelections(
  info: GraphQLResolveInfo,
  ...path: string[]
): Record<string, unknown>[] {
  return selectionsUnder(info, getNamedType(info.returnType), path);
}

/**
 * The same for an entity of type `typeName` that the gateway asks for: `__resolveReference` gets
 * the info of `_entities`, whose selections are fragments on each type (`... on Platform { themes }`).
 */
export function entitySelections(
  info: GraphQLResolveInfo,
  typeName: string,
  ...path: string[]
): Record<string, unknown>[] {
  return selectionsUnder(info, info.schema.getType(typeName), path);
}

/** Walks `path` down from `start` with graphql-tools' field collection, graphql-js' own rules. */
function selectionsUnder(
  info: GraphQLResolveInfo,
  start: GraphQLNamedType | undefined | null,
  path: string[],
): Record<string, unknown>[] {
  let type = start;
  let selections: FieldNode[][] = [[...info.fieldNodes]];
  let found: Record<string, unknown>[] = [];
  for (const name of path) {
    const field = isObjectType(type) ? type.getFields()[name] : undefined;
    if (!isObjectType(type) || !field) return [];
    const objectType = type;
    selections = selections.flatMap((nodes) => {
      const { fields, patches } = collectSubFields(
        info.schema,
        info.fragments,
        info.variableValues,
        objectType,
        nodes,
      );
      return [fields, ...patches.map((patch) => patch.fields)].flatMap((byKey) =>
        [...byKey.values()].filter((sameKey) => sameKey[0]?.name.value === name),
      );
    });
    found = selections.map(([node]) => getArgumentValues(field, node!, info.variableValues));
    type = getNamedType(field.type);
  }
  return found;
}

/**
 * Starts a lookup ahead of the resolver that will ask for it (the loader keeps the promise). Its
 * failure, even a thrown one (bad arguments), is left to that resolver to report.
 */
export function prefetch(lookup: () => Promise<unknown>): void {
  try {
    lookup().catch(() => {});
  } catch {
    // The resolver asking for it throws the same error, in its own field.
  }
}
