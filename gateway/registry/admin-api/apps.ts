import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { AdminContext } from "./context.js";

@ObjectType({ description: "Une opération d'une application déployée." })
class AppOperation {
  @Field(() => String, { description: "Le sha256 de son texte, qu'un client envoie à sa place." })
  hash!: string;
  @Field(() => String, { nullable: true })
  name!: string | null;
  @Field(() => String)
  body!: string;
}

@ObjectType({
  description:
    "Une version d'une application (un portail) et ses opérations : tant qu'elle est active, un client anonyme peut les envoyer, et elles comptent comme utilisées.",
})
class AppDeployment {
  @Field(() => String, {
    description: "Le nom du client, celui de ses en-têtes graphql-client-name.",
  })
  name!: string;
  @Field(() => String)
  version!: string;
  @Field(() => Boolean)
  active!: boolean;
  @Field(() => GraphQLDateTime)
  publishedAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true })
  retiredAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: "Le partenaire à qui elle appartient ; null quand l'administration l'a publiée.",
  })
  owner!: string | null;
  @Field(() => [AppOperation])
  operations!: AppOperation[];
}

/** App deployments: a partner publishes and retires its own, the administration any. */
@Resolver()
export class AppResolver {
  @Query(() => [AppDeployment], {
    description: "Les applications déployées (celles du partenaire), les plus récentes d'abord.",
  })
  appDeployments(
    @Arg("includeRetired", () => Boolean, { defaultValue: false }) includeRetired: boolean,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.apps.list(identity, includeRetired);
  }

  @Mutation(() => AppDeployment, {
    description:
      "Publie une version d'une application : son manifeste est le persisted-documents.json de graphql-codegen (« hash sha256 » → document). Refusée avec BAD_USER_INPUT (hash faux) ou GRAPHQL_VALIDATION_FAILED (opération invalide pour le schéma public), en nommant chaque opération.",
  })
  publishApp(
    @Arg("name", () => String) name: string,
    @Arg("version", () => String) version: string,
    @Arg("manifest", () => String, { description: "Le manifeste, en texte JSON." })
    manifest: string,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.apps.publish(identity, { name, version, manifest });
  }

  @Mutation(() => AppDeployment, {
    description:
      "Retire une version : ses opérations ne sont plus acceptées d'un client anonyme, ni comptées comme utilisées.",
  })
  retireApp(
    @Arg("name", () => String) name: string,
    @Arg("version", () => String) version: string,
    @Ctx() { registry, identity }: AdminContext,
  ) {
    return registry.apps.retire(identity, { name, version });
  }
}
