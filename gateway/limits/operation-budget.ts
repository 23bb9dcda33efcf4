import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { LIMIT_CODES, type LimitName, type RequestLimits } from "./config.js";
import { type CostAnnotations, type CostEstimate, estimateCost } from "./cost.js";

function limitError(
  limit: LimitName,
  message: string,
  details: Record<string, unknown>,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: LIMIT_CODES[limit], limit, ...details, http: { status: 400 } },
  });
}

/** The first reason to refuse an estimated operation, if any. */
export function budgetRefusal(estimate: CostEstimate, limits: RequestLimits): GraphQLError | null {
  for (const slice of estimate.slices) {
    const maximum = limits.pageSizeOverrides[slice.field] ?? limits.pageSize;
    if (slice.value < 1 || slice.value > maximum)
      return limitError(
        "pageSize",
        `« ${slice.argument} » de ${slice.field} doit être compris entre 1 et ${maximum} (reçu : ${slice.value}).`,
        { field: slice.field, argument: slice.argument, found: slice.value, maximum },
      );
  }
  const [missing] = estimate.missingSlices;
  if (missing)
    return new GraphQLError(`${missing} demande exactement un argument de pagination.`, {
      extensions: { code: "BAD_USER_INPUT", field: missing, http: { status: 400 } },
    });
  if (estimate.cost > limits.cost)
    return limitError(
      "cost",
      `Requête trop coûteuse : coût estimé ${estimate.cost} (maximum ${limits.cost}). Demandez des pages plus petites.`,
      { estimated: estimate.cost, maximum: limits.cost },
    );
  return null;
}

/**
 * Estimates each operation from the cost directives of the supergraph it runs on, and refuses,
 * before planning any subgraph call, one over the cost limit or with a page size out of bounds.
 */
export function operationBudgetPlugin(
  limits: RequestLimits,
  annotationsOf: (schema: GraphQLSchema) => CostAnnotations,
): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let estimated: number | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const estimate = estimateCost(
            schema,
            document,
            operation,
            request.variables ?? {},
            annotationsOf(schema),
            limits,
          );
          estimated = estimate.cost;
          const refusal = budgetRefusal(estimate, limits);
          if (refusal) throw refusal;
        },
        async willSendResponse({ response }) {
          if (
            !limits.costInExtensions ||
            estimated === undefined ||
            response.body.kind !== "single"
          )
            return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            cost: { estimated, maximum: limits.cost },
          };
        },
      };
    },
  };
}
