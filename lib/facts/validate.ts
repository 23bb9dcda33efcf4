import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { sourcePath } from "../paths.js";
import type { FactsFile } from "./file.js";

const require = createRequire(import.meta.url);

/**
 * SPDX identifiers, current and deprecated: a deprecated id such as `AGPL-3.0` says exactly what a
 * source says when it names a licence's version but neither "only" nor "or later".
 */
const SPDX_IDS = new Set<string>([
  ...(require("spdx-license-ids") as string[]),
  ...(require("spdx-license-ids/deprecated.json") as string[]),
]);

export const FACTS_SCHEMA = sourcePath(import.meta.url, "../../data/facts.schema.json");

/** The file's problems, each with where it is (a JSON pointer) and what is wrong. */
export class FactsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "FactsFileError";
  }
}

let schemaValidator: ReturnType<Ajv2020["compile"]> | undefined;

function validateShape(data: unknown): string[] {
  if (!schemaValidator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv, ["uri", "date"]);
    schemaValidator = ajv.compile(JSON.parse(readFileSync(FACTS_SCHEMA, "utf8")));
  }
  if (schemaValidator(data)) return [];
  return (schemaValidator.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  const detail =
    error.keyword === "additionalProperties" ? ` (${error.params.additionalProperty})` : "";
  return `${error.instancePath || "/"}: ${error.message}${detail}`;
}

/** What the schema cannot say: ids unique, references that resolve, licences that are SPDX ids. */
function validateMeaning(file: FactsFile): string[] {
  const problems: string[] = [];
  const idsOf = (list: string, ids: string[]) => {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (seen.has(id)) problems.push(`/${list}/${index}: duplicate id ${id}`);
      seen.add(id);
    });
    return seen;
  };
  const software = idsOf(
    "software",
    file.software.map((s) => s.slug),
  );
  const organizations = idsOf(
    "organizations",
    file.organizations.map((o) => o.id),
  );
  const themes = idsOf(
    "themes",
    file.themes.map((t) => t.slug),
  );
  idsOf(
    "platforms",
    file.platforms.map((p) => p.slug),
  );
  idsOf(
    "collectivites",
    file.collectivites.map((c) => c.id),
  );

  file.software.forEach(({ facts }, index) => {
    if (facts.licence && !SPDX_IDS.has(facts.licence.value))
      problems.push(
        `/software/${index}/facts/licence/value: ${facts.licence.value} is not an SPDX licence id`,
      );
  });
  file.platforms.forEach(({ themes: platformThemes, facts }, index) => {
    for (const theme of platformThemes)
      if (!themes.has(theme)) problems.push(`/platforms/${index}/themes: unknown theme ${theme}`);
    if (facts.software && !software.has(facts.software.value))
      problems.push(
        `/platforms/${index}/facts/software/value: unknown software ${facts.software.value}`,
      );
    if (facts.operator && !organizations.has(facts.operator.value))
      problems.push(
        `/platforms/${index}/facts/operator/value: unknown organization ${facts.operator.value}`,
      );
  });
  return problems;
}

/** The file as the seed loads it, or a `FactsFileError` listing every problem found. */
export function validateFacts(data: unknown, file = "data/facts.json"): FactsFile {
  const shapeProblems = validateShape(data);
  if (shapeProblems.length) throw new FactsFileError(file, shapeProblems);
  const meaningProblems = validateMeaning(data as FactsFile);
  if (meaningProblems.length) throw new FactsFileError(file, meaningProblems);
  return data as FactsFile;
}
