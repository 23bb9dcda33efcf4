import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { ArgsType, Field, ID } from "type-graphql";
import { PageArgs } from "../../../lib/graphql/connection.js";
import { LoanStatus } from "../types.js";

@ArgsType()
export class LoanDatesArgs {
  @Field(() => ID)
  loanId!: string;

  @Field(() => GraphQLLocalDate)
  startDate!: string;

  @Field(() => GraphQLLocalDate)
  endDate!: string;
}

@ArgsType()
export class MyLoansArgs extends PageArgs {
  @Field(() => LoanStatus, { nullable: true })
  status?: LoanStatus | null;
}
