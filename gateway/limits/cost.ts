import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  valueFromAST,
  valueFromASTUntyped,
} from "graphql";

/**
 * Demand control after IBM's GraphQL Cost Directive specification, as Apollo Router and Hive
 * Gateway implement it: `@cost(weight)` and `@listSize(assumedSize, slicingArguments,
 * sizedFields, requireOneSlicingArgument)`, the directives of Federation 2.9, read from the
 * supergraph so that partners' annotations count as the hub's own.
 */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
  requireOneSlicingArgument: boolean;
}

export interface CostAnnotations {
  /** `@cost` and `@listSize` of fields, by coordinate (`Type.field`). */
  fields: Map<string, { weight?: number; listSize?: ListSize }>;
  /** `@cost` of types (objects, scalars, enums), by name. */
  types: Map<string, number>;
  /** `@cost` of arguments, by coordinate (`Type.field(argument:)`). */
  arguments: Map<string, number>;
}

/** Apollo Router's weight of a mutation: it writes, so it costs more than the fields it reads. */
const MUTATION_WEIGHT = 10;

function argumentsOf(directive: DirectiveNode): Record<string, unknown> {
  return Object.fromEntries(
    (directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
  );
}

/** Reads the cost directives of a supergraph (where composition keeps them, unlike the API schema). */
export function readCostAnnotations(supergraphSdl: string): CostAnnotations {
  const annotations: CostAnnotations = {
    fields: new Map(),
    types: new Map(),
    arguments: new Map(),
  };
  const weightOf = (directives: readonly DirectiveNode[] | undefined) => {
    const cost = directives?.find((d) => d.name.value === "cost");
    return cost ? Number(argumentsOf(cost).weight) : undefined;
  };
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (!("name" in definition) || !definition.name || !("directives" in definition)) continue;
    const typeName = definition.name.value;
    const typeWeight = weightOf(definition.directives);
    if (typeWeight !== undefined) annotations.types.set(typeName, typeWeight);
    if (!("fields" in definition)) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const weight = weightOf(field.directives);
      const listSizeNode = field.directives?.find((d) => d.name.value === "listSize");
      const listSize = listSizeNode
        ? ({ requireOneSlicingArgument: true, ...argumentsOf(listSizeNode) } as ListSize)
        : undefined;
      if (weight !== undefined || listSize)
        annotations.fields.set(coordinate, {
          ...(weight !== undefined ? { weight } : {}),
          ...(listSize ? { listSize } : {}),
        });
      for (const argument of "arguments" in field ? (field.arguments ?? []) : []) {
        const argumentWeight = weightOf(argument.directives);
        if (argumentWeight !== undefined)
          annotations.arguments.set(`${coordinate}(${argument.name.value}:)`, argumentWeight);
      }
    }
  }
  return annotations;
}

/** A slicing argument as a client sent it, for the page-size limits. */
export interface Slice {
  field: string;
  argument: string;
  value: number;
}

export interface CostEstimate {
  cost: number;
  slices: Slice[];
  /** Fields whose `@listSize` requires exactly one slicing argument and got another count. */
  missingSlices: string[];
}

export interface CostOptions {
  /** The size assumed of a list with no `@listSize` and no slicing argument sent. */
  assumedListSize: number;
}

function isList(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
}

/**
 * The estimated cost of an operation: fields of object, interface and union types weigh 1, leaves
 * 0, unless `@cost` says otherwise; a list multiplies what it holds by its size, read from its
 * slicing arguments (variables included), else its `assumedSize`, else `assumedListSize`. Fields
 * are merged by response key first, as execution merges them, and a selection on an abstract type
 * costs as much as its most expensive possible type, since each object takes one branch.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  annotations: CostAnnotations,
  options: CostOptions,
): CostEstimate {
  const estimate: CostEstimate = { cost: 0, slices: [], missingSlices: [] };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);

  const applies = (type: GraphQLObjectType, condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return (
      !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type)
    );
  };

  /** graphql-js's CollectFields: the fields an object of `type` gets, merged by response key. */
  const collect = (
    type: GraphQLObjectType,
    selectionSets: readonly SelectionSetNode[],
    fields = new Map<string, FieldNode[]>(),
    visited = new Set<string>(),
  ) => {
    for (const selectionSet of selectionSets)
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          fields.set(key, [...(fields.get(key) ?? []), selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (applies(type, selection.typeCondition?.name.value))
            collect(type, [selection.selectionSet], fields, visited);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || visited.has(fragment.name.value)) continue;
          visited.add(fragment.name.value);
          if (applies(type, fragment.typeCondition.name.value))
            collect(type, [fragment.selectionSet], fields, visited);
        }
      }
    return fields;
  };

  const argumentValue = (
    field: GraphQLField<unknown, unknown>,
    node: ArgumentNode | undefined,
  ): unknown => {
    if (!node) return undefined;
    const definition = field.args.find((a) => a.name === node.name.value);
    return definition ? valueFromAST(node.value, definition.type, variables) : undefined;
  };

  const annotationOf = (type: GraphQLObjectType, name: string) =>
    annotations.fields.get(`${type.name}.${name}`) ??
    type
      .getInterfaces()
      .map((i) => annotations.fields.get(`${i.name}.${name}`))
      .find(Boolean);

  /** What a list field holds, from its `@listSize`; `sized` is the size its parent gave it. */
  const listSizeOf = (
    type: GraphQLObjectType,
    field: GraphQLField<unknown, unknown>,
    node: FieldNode,
    listSize: ListSize | undefined,
  ): number | undefined => {
    const coordinate = `${type.name}.${field.name}`;
    const sliced = (listSize?.slicingArguments ?? []).flatMap((argument) => {
      const value = argumentValue(
        field,
        node.arguments?.find((a) => a.name.value === argument),
      );
      return typeof value === "number" ? [{ field: coordinate, argument, value }] : [];
    });
    estimate.slices.push(...sliced);
    if (
      listSize?.slicingArguments?.length &&
      listSize.requireOneSlicingArgument &&
      sliced.length !== 1
    )
      estimate.missingSlices.push(coordinate);
    if (sliced.length) return Math.max(...sliced.map((s) => Math.max(s.value, 0)));
    return listSize?.assumedSize;
  };

  const fieldCost = (
    type: GraphQLObjectType,
    nodes: FieldNode[],
    sized: number | undefined,
  ): number => {
    const [node] = nodes as [FieldNode];
    const field = type.getFields()[node.name.value];
    if (!field) return node.name.value === "__typename" ? 0 : 1; // introspection
    const named = getNamedType(field.type);
    const annotation = annotationOf(type, field.name);
    const weight =
      annotation?.weight ?? annotations.types.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
    let argumentsCost = 0;
    for (const argument of node.arguments ?? [])
      argumentsCost +=
        annotations.arguments.get(`${type.name}.${field.name}(${argument.name.value}:)`) ?? 0;
    const size = listSizeOf(type, field, node, annotation?.listSize);
    const sizedFields = annotation?.listSize?.sizedFields;
    // A connection: the size applies to its sized fields (`edges`, `nodes`), not to itself.
    const childSizes = new Map(
      (sizedFields ?? []).map((name) => [name, size ?? options.assumedListSize]),
    );
    const multiplier = isList(field)
      ? (sized ?? (sizedFields ? undefined : size) ?? options.assumedListSize)
      : 1;
    const selectionSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const childCost = isCompositeType(named) ? selectionCost(named, selectionSets, childSizes) : 0;
    return argumentsCost + multiplier * (weight + childCost);
  };

  const selectionCost = (
    type: GraphQLCompositeType,
    selectionSets: readonly SelectionSetNode[],
    sizes: Map<string, number>,
  ): number => {
    const possible = isObjectType(type)
      ? [type]
      : schema.getPossibleTypes(type as Exclude<GraphQLCompositeType, GraphQLObjectType>);
    let most = 0;
    for (const object of possible) {
      let cost = 0;
      for (const nodes of collect(object, selectionSets).values())
        cost += fieldCost(object, nodes, sizes.get(nodes[0]!.name.value));
      most = Math.max(most, cost);
    }
    return most;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return estimate;
  estimate.cost =
    (operation.operation === "mutation" ? MUTATION_WEIGHT : 0) +
    selectionCost(root, [operation.selectionSet], new Map());
  return estimate;
}
