import "reflect-metadata";
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import type { AdminContext } from "./context.js";

@ObjectType({ description: "Un client (nom et version) et le nombre de ses opérations." })
class ClientUsage {
  @Field(() => String, { nullable: true, description: "Null : le client ne s'est pas nommé." })
  clientName!: string | null;
  @Field(() => String, { nullable: true })
  clientVersion!: string | null;
  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "Une opération, envoyée par un client, et combien de fois." })
class OperationUsage {
  @Field(() => String, { description: "La signature de l'opération (un hash de son texte)." })
  hash!: string;
  @Field(() => String, { nullable: true })
  name!: string | null;
  @Field(() => String, { nullable: true })
  clientName!: string | null;
  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "Les opérations d'un jour (UTC) et d'un client." })
class DailyUsage {
  @Field(() => String, { description: "AAAA-MM-JJ." })
  day!: string;
  @Field(() => String, { nullable: true })
  clientName!: string | null;
  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "Qui a lu un champ ou un type, et combien de fois, sur la période." })
class FieldUsage {
  @Field(() => String)
  coordinate!: string;
  @Field(() => Int, { description: "Les opérations envoyées qui le lisent." })
  total!: number;
  @Field(() => [ClientUsage])
  clients!: ClientUsage[];
  @Field(() => [OperationUsage])
  operations!: OperationUsage[];
  @Field(() => [DailyUsage])
  daily!: DailyUsage[];
}

/** Field usage: a partner sees its own subgraphs' fields, the administration all of them. */
@Resolver()
export class UsageResolver {
  @Query(() => FieldUsage, {
    description:
      "Les opérations et les clients qui ont lu un champ (« Type.champ ») ou un type (« Type ») ces derniers jours.",
  })
  fieldUsage(
    @Arg("coordinate", () => String) coordinate: string,
    @Arg("days", () => Int, { defaultValue: 30 }) days: number,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.report.fieldUsage(identity, coordinate, days);
  }

  @Query(() => [String], {
    description:
      "Les champs d'un sous-graphe qu'aucune opération n'a lus ces derniers jours, ni aucune opération d'une application déployée : ceux qu'il peut retirer.",
  })
  unusedFields(
    @Arg("subgraph", () => String) subgraph: string,
    @Arg("days", () => Int, { defaultValue: 30 }) days: number,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.report.unusedFields(identity, subgraph, days);
  }
}
