import "reflect-metadata";
import DataLoader from "dataloader";
import {
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
} from "type-graphql";
import { OFFERS, type OfferRow } from "./offers.js";

export interface CarpoolContext {
  /** One per request: every territory of an answer is looked up at once. */
  offersByTerritory: DataLoader<string, OfferRow[]>;
}

export function createContext(): CarpoolContext {
  return {
    offersByTerritory: new DataLoader(async (ids) =>
      ids.map((id) => OFFERS.filter((offer) => offer.territoryId === id)),
    ),
  };
}

/** The hub's territory, by its key only: the hub's directory owns everything else about it. */
@ObjectType("Territory")
@Directive('@key(fields: "id")')
export class Territory {
  @Field(() => ID)
  id!: string;
}

@ObjectType("CarpoolOffer", { description: "Un trajet proposé en covoiturage par la coopérative." })
@Directive('@key(fields: "id")')
@Directive("@cacheControl(maxAge: 60)")
export class CarpoolOffer {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Lieu de départ." })
  from!: string;

  @Field(() => String, { description: "Destination." })
  to!: string;

  @Field(() => String, {
    description: "Heure de départ, ISO 8601 avec le décalage de Europe/Paris.",
  })
  departsAt!: string;

  @Field(() => Int, { description: "Places libres." })
  seats!: number;

  @Field(() => Int, { description: "Participation suggérée, en centimes d'euro." })
  priceCents!: number;

  @Field(() => String, { description: "D'où vient la donnée." })
  source!: string;
}

@Resolver(() => Territory)
export class TerritoryCarpoolResolver {
  // Nullable: if this subgraph is down, only this field is null, not the territory around it.
  @FieldResolver(() => [CarpoolOffer], {
    nullable: true,
    description: "Trajets au départ de ce territoire (au plus 100).",
  })
  @Directive("@cacheControl(maxAge: 60)")
  async carpoolOffers(
    @Root() territory: Territory,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Ctx() { offersByTerritory }: CarpoolContext,
  ): Promise<OfferRow[]> {
    return (await offersByTerritory.load(territory.id)).slice(0, Math.max(0, Math.min(first, 100)));
  }
}

export const resolvers = [TerritoryCarpoolResolver] as const;
export const orphanedTypes = [Territory, CarpoolOffer];

export const referenceResolvers = {
  Territory: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
  CarpoolOffer: {
    __resolveReference: ({ id }: { id: string }) => OFFERS.find((offer) => offer.id === id) ?? null,
  },
};
