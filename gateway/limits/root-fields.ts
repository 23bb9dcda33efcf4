import {
  type ASTVisitor,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

/**
 * Refuses an operation with more root fields than `maximum`, counting every field at its root
 * (`__typename` too, fragments included, the same field repeated as often as it is written). It
 * runs on entering the operation, before graphql-js compares the root's fields pairwise, which
 * would otherwise give up on a few thousand of them with an unnamed "Validation aborted".
 */
export function rootFieldLimit(maximum: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      let found = 0;
      const count = (selectionSet: SelectionSetNode, spread: Set<string>) => {
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) found++;
          else if (selection.kind === Kind.INLINE_FRAGMENT) count(selection.selectionSet, spread);
          else if (!spread.has(selection.name.value)) {
            spread.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) count(fragment.selectionSet, spread);
          }
        }
      };
      count(operation.selectionSet, new Set());
      if (found > maximum)
        context.reportError(
          new GraphQLError(`Trop de champs racine : ${found} (maximum ${maximum}).`, {
            nodes: [operation],
            extensions: { limit: "rootFields", found, maximum },
          }),
        );
    },
  });
}
