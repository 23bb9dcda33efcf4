import type { GraphQLDataSource } from "@apollo/gateway";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from "graphql";

type Path = (string | number)[];
type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource["process"]>>;

/**
 * The answer a fetch gets when its subgraph failed: no data, and one error for each field the
 * fetch would have filled, at its path in the subgraph's answer (`_entities.3.carpoolOffers` for an
 * entity fetch, `territory` for a root one). The gateway moves each path to its place in the
 * client's answer and adds `serviceName`: a client sees which part of its page is missing.
 */
export function failedFetch(
  request: { query?: string; variables?: Record<string, unknown> },
  document: DocumentNode | undefined,
  error: { message: string; code: string },
): GatewayGraphQLResponse {
  const paths = fieldPaths(document ?? parse(request.query ?? "{__typename}"), request.variables);
  const extensions = { code: error.code };
  return {
    errors:
      paths.length > 0
        ? paths.map((path) => ({ message: error.message, path, extensions }))
        : [{ message: error.message, extensions }],
  };
}

/** The paths of the fields a fetch asks for: its root fields, or each entity's fields. */
export function fieldPaths(document: DocumentNode, variables?: Record<string, unknown>): Path[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = responseNames(operation.selectionSet, fragments, undefined);
  const entities = operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === "_entities",
  );
  if (!entities || entities.kind !== Kind.FIELD || !entities.selectionSet)
    return root.map((name) => [name]);
  const representations = Array.isArray(variables?.representations)
    ? (variables.representations as { __typename?: unknown }[])
    : [];
  const alias = entities.alias?.value ?? "_entities";
  return representations.flatMap((representation, index) =>
    responseNames(entities.selectionSet!, fragments, String(representation.__typename)).map(
      (name) => [alias, index, name],
    ),
  );
}

/** The response names a selection set fills for an object of `typename` (any type when undefined). */
function responseNames(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  typename: string | undefined,
): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== "__typename")
          names.add(selection.alias?.value ?? selection.name.value);
        continue;
      }
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      const condition = fragment?.typeCondition?.name.value;
      if (fragment && (!condition || !typename || condition === typename))
        visit(fragment.selectionSet);
    }
  };
  visit(selectionSet);
  return [...names];
}
