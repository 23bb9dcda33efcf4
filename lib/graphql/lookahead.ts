import {
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";

/**
 * The arguments of each selection of `path` under the field being resolved (`["platforms"]`,
 * `["nodes", "nextAvailableSlot"]`; fragments included, variables applied): a resolver can start
 * the lookups its children will ask for in its own turn, so that they share its statement
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

function selectionsUnder(
  info: GraphQLResolveInfo,
  start: GraphQLNamedType | undefined | null,
  path: string[],
): Record<string, unknown>[] {
  let type = start;
  let nodes: readonly FieldNode[] = info.fieldNodes;
  let found: Record<string, unknown>[] = [];
  for (const name of path) {
    const field = isObjectType(type) ? type.getFields()[name] : undefined;
    if (!isObjectType(type) || !field) return [];
    const typeName = type.name;
    const matches: FieldNode[] = [];
    const visit = (selectionSet: SelectionSetNode | undefined) => {
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === name) matches.push(selection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (!selection.typeCondition || selection.typeCondition.name.value === typeName)
            visit(selection.selectionSet);
        } else {
          const fragment = info.fragments[selection.name.value];
          if (fragment?.typeCondition.name.value === typeName) visit(fragment.selectionSet);
        }
      }
    };
    for (const node of nodes) visit(node.selectionSet);
    found = matches.map((node) => getArgumentValues(field, node, info.variableValues));
    nodes = matches;
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
