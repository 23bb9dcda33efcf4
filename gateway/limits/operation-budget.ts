import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { LIMIT_CODES, type LimitName, type RequestLimits } from "./config.js";

/** What a list without a page size is assumed to hold, for the cost estimate. */
const UNPAGED_LIST_ESTIMATE = 10;
/** The page size a connection has when the client sends no `first`. */
const DEFAULT_PAGE = 20;

export interface Budget {
  rootFields: number;
  cost: number;
  /** `first` arguments over their field's maximum. */
  oversizedPages: { field: string; first: number; maximum: number }[];
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function intValue(
  node: ValueNode | undefined,
  variables: Record<string, unknown>,
): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return typeof value === "number" ? value : undefined;
  }
  return undefined;
}

/**
 * Estimates an operation before any subgraph is called: each field costs 1, multiplied by the
 * page sizes (`first`) of the connections around it, or by a fixed estimate for plain lists of
 * objects.
 * Unlike graphql-armor's cost rule, it reads page sizes, variables included.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: Pick<RequestLimits, "pageSize" | "pageSizeOverrides">,
): Budget {
  const budget: Budget = {
    rootFields: operation.selectionSet.selections.length,
    cost: 0,
    oversizedPages: [],
  };
  // Each open field: how many times it is fetched, and the page size its connection was asked for.
  const frames: { multiplier: number; page: number }[] = [{ multiplier: 1, page: 1 }];
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const visitSelections = (
    node: OperationDefinitionNode | FragmentDefinitionNode,
    seen: Set<string>,
  ) => {
    const typeInfo = new TypeInfo(schema);
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field: {
          enter(field) {
            const definition = typeInfo.getFieldDef();
            const parent = typeInfo.getParentType();
            const { multiplier, page } = frames.at(-1)!;
            budget.cost += multiplier;
            if (!definition || !parent) return void frames.push({ multiplier, page: 1 });
            if (definition.args.some((a) => a.name === "first")) {
              // A connection: its own fields (totalCount, pageInfo) once, its nodes or edges once per item.
              const first =
                intValue(
                  field.arguments?.find((a) => a.name.value === "first")?.value,
                  variables,
                ) ?? DEFAULT_PAGE;
              const coordinate = `${parent.name}.${definition.name}`;
              const maximum = limits.pageSizeOverrides[coordinate] ?? limits.pageSize;
              if (first > maximum)
                budget.oversizedPages.push({ field: coordinate, first, maximum });
              frames.push({ multiplier, page: Math.max(first, 1) });
            } else if (
              parent.name.endsWith("Connection") &&
              (definition.name === "nodes" || definition.name === "edges")
            ) {
              frames.push({ multiplier: multiplier * page, page: 1 });
            } else if (isList(definition.type) && !isLeafType(getNamedType(definition.type))) {
              frames.push({ multiplier: multiplier * UNPAGED_LIST_ESTIMATE, page: 1 });
            } else {
              frames.push({ multiplier, page: 1 });
            }
          },
          leave() {
            frames.pop();
          },
        },
        FragmentSpread(spread) {
          // Fragments count where they are spread; a cycle is already refused by validation.
          const fragment = fragments.get(spread.name.value);
          if (!fragment || seen.has(spread.name.value)) return;
          visitSelections(fragment, new Set([...seen, spread.name.value]));
        },
      }),
    );
  };
  visitSelections(operation, new Set());
  return budget;
}

function limitError(
  limit: LimitName,
  message: string,
  details: Record<string, unknown>,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: LIMIT_CODES[limit], limit, ...details, http: { status: 400 } },
  });
}

/** Refuses, before planning any subgraph call, an operation over the root-field, cost or page-size limits. */
export function operationBudgetPlugin(limits: RequestLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const budget = measureOperation(
            schema,
            document,
            operation,
            request.variables ?? {},
            limits,
          );
          if (budget.rootFields > limits.rootFields) {
            throw limitError(
              "rootFields",
              `Trop de champs racine : ${budget.rootFields} (maximum ${limits.rootFields}).`,
              { found: budget.rootFields, maximum: limits.rootFields },
            );
          }
          const [oversized] = budget.oversizedPages;
          if (oversized) {
            throw limitError(
              "pageSize",
              `Page trop grande pour ${oversized.field} : ${oversized.first} (maximum ${oversized.maximum}).`,
              { ...oversized },
            );
          }
          if (budget.cost > limits.cost) {
            throw limitError(
              "cost",
              `Requête trop coûteuse : coût estimé ${budget.cost} (maximum ${limits.cost}). Demandez des pages plus petites.`,
              { found: budget.cost, maximum: limits.cost },
            );
          }
        },
      };
    },
  };
}
