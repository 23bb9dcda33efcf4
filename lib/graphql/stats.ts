import "reflect-metadata";
import { Directive, Field, Int, ObjectType } from "type-graphql";
import { CacheLikeParent } from "./cache.js";

/**
 * One bar of a statistics series (`loanStats`, `appointmentStats`...): the same type in every
 * subgraph, so that portals and the playground chart them all alike. Counts only, never people.
 */
@ObjectType({
  description:
    "A count for one key of a statistics series (a month `2026-03`, a status, a category...).",
})
@Directive("@shareable")
@CacheLikeParent()
export class CountByKey {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  count!: number;
}
