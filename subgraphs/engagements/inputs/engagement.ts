import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType } from "type-graphql";
import { badUserInput } from "../../../lib/graphql/errors.js";
import { parisDate } from "../../../lib/time.js";
import { EngagementStatus } from "../types.js";

const PLATFORM_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

@InputType({ description: "A new engagement of a collectivité." })
export class EngagementInput {
  @Field(() => ID)
  collectiviteId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "A theme slug of the directory." })
  theme?: string | null;

  @Field(() => [ID], { description: "Slugs of the directory's platforms it is about." })
  platformSlugs!: string[];

  @Field(() => EngagementStatus, { defaultValue: EngagementStatus.EXPLORING })
  status!: EngagementStatus;

  @Field(() => GraphQLLocalDate, { nullable: true })
  startedOn?: string | null;

  @Field(() => String, { nullable: true, description: "URL of the public text that states it." })
  sourceUrl?: string | null;
}

function checkUrl(url: string | null | undefined): string | null {
  if (url == null) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:" || parsed.protocol === "http:") return parsed.toString();
  } catch {
    // reported below
  }
  throw badUserInput(`URL de source invalide : « ${url} ».`, { argument: "sourceUrl" });
}

/** The input checked, its title trimmed and its URL normalized. */
export function checkEngagementInput(input: EngagementInput): EngagementInput {
  const title = input.title.trim();
  if (title.length < 3 || title.length > 200)
    throw badUserInput("Le titre doit faire entre 3 et 200 caractères.", {
      argument: "input.title",
    });
  const badSlug = input.platformSlugs.find((slug) => !PLATFORM_SLUG.test(slug));
  if (badSlug !== undefined)
    throw badUserInput(`Identifiant de plateforme invalide : « ${badSlug} ».`, {
      argument: "input.platformSlugs",
    });
  if (input.startedOn && input.startedOn > parisDate())
    throw badUserInput("La date de début ne peut pas être dans le futur.", {
      argument: "input.startedOn",
    });
  return { ...input, title, sourceUrl: checkUrl(input.sourceUrl) };
}
