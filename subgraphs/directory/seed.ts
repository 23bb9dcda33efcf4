import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { contentVersion, loadDatasetOnce, takeIncoming } from "../../lib/seed.js";
import {
  DATASET_SOURCE,
  DATASET_VERSION,
  loadTerritories,
  normalizeForSearch,
} from "../../lib/territories.js";
import {
  datasetImports,
  organizations,
  platforms,
  platformTerritories,
  platformThemes,
  software,
  territories,
  territorySearchTerms,
  themes,
} from "./tables.js";

/**
 * Provenance of the seed. Facts verified in the Apes' public texts on PlateformCoop carry
 * `APES`; facts that are not verified carry `PLACEHOLDER` and must not be shown as facts.
 */
const APES = "apes-plateformcoop";
const PLACEHOLDER = "placeholder";

const SOFTWARE = [
  {
    slug: "ebs",
    name: "EBS – Échanges de Biens et Services",
    licence: null,
    repositoryUrl: "https://github.com/Apes-HDF/EBS",
    source: APES,
    sourceId: null,
  },
  {
    slug: "rustine-libre",
    name: "Rustine Libre",
    licence: "AGPL-3.0",
    repositoryUrl: "https://github.com/RustineLibre/RustineLibre",
    source: APES,
    sourceId: null,
  },
  {
    slug: "open-food-network",
    name: "Open Food Network",
    licence: null,
    repositoryUrl: null,
    source: APES,
    sourceId: null,
  },
  {
    slug: "coopcycle",
    name: "CoopCycle",
    licence: null,
    repositoryUrl: null,
    source: APES,
    sourceId: null,
  },
];

const ORGANIZATIONS = [
  {
    id: "apes",
    name: "Apes – Acteurs Pour une Économie Solidaire",
    siren: null,
    legalForm: null,
    source: APES,
    sourceId: null,
  },
  {
    id: "les-tilleuls-coop",
    name: "Les-Tilleuls.coop",
    siren: null,
    legalForm: null,
    source: APES,
    sourceId: null,
  },
  {
    id: "coopcircuits",
    name: "CoopCircuits",
    siren: null,
    legalForm: "SCIC",
    source: APES,
    sourceId: null,
  },
  { id: "tilt", name: "Tilt", siren: null, legalForm: null, source: APES, sourceId: null },
  { id: "copteria", name: "Coptéria", siren: null, legalForm: null, source: APES, sourceId: null },
  {
    id: "la-coop-des-communs",
    name: "La Coop des Communs",
    siren: null,
    legalForm: null,
    source: APES,
    sourceId: null,
  },
  {
    id: "imt-bs",
    name: "Institut Mines-Télécom Business School",
    siren: null,
    legalForm: null,
    source: APES,
    sourceId: null,
  },
  {
    id: "reseau-transition-hdf",
    name: "Réseau Transition Hauts-de-France",
    siren: null,
    legalForm: null,
    source: APES,
    sourceId: null,
  },
];

/** The labels of the live directory could not be read: these match the programme's texts only. */
const THEMES = [
  { slug: "se-nourrir", label: "Mieux se nourrir", source: PLACEHOLDER },
  { slug: "se-deplacer", label: "Se déplacer", source: PLACEHOLDER },
  { slug: "echanger", label: "Échanger des biens et services", source: PLACEHOLDER },
  { slug: "reparer", label: "Réparer", source: PLACEHOLDER },
];

interface PlatformSeed {
  slug: string;
  name: string;
  description: string;
  url?: string;
  software?: string;
  operator?: string;
  themes: string[];
  /** Where the Apes' texts place it; the whole region when they name no place. */
  territories: string[];
  source: string;
}

const REGION = "REG:32";
const LILLE = "COM:59350";

const PLATFORMS: PlatformSeed[] = [
  {
    slug: "nos-declics",
    name: "Nos Déclics",
    description:
      "Mon déclic, local et solidaire : je trouve des solutions près de chez moi dans les Hauts-de-France.",
    operator: "apes",
    themes: [],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "ebs",
    name: "EBS – Échanges de Biens et Services",
    description:
      "Échanges et prêts d'objets et de services entre voisins, dont les objetothèques ; une instance par territoire, en fédération d'instances.",
    software: "ebs",
    operator: "apes",
    themes: ["echanger"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "rustine-libre",
    name: "Rustine Libre",
    description: "Prise de rendez-vous avec des réparateurs de vélos.",
    software: "rustine-libre",
    operator: "apes",
    themes: ["reparer", "se-deplacer"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "tipimi",
    name: "Tipimi",
    description: "Objetothèques : emprunter plutôt qu'acheter, à Lille-Fives.",
    themes: ["echanger"],
    territories: [LILLE],
    source: APES,
  },
  {
    slug: "shareathlon",
    name: "ShareAthlon",
    description: "Partage de matériel de sport.",
    themes: ["echanger"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "label-epicerie",
    name: "Label Epicerie",
    description: "Épicerie.",
    themes: ["se-nourrir"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "epicerie-cooperative-arrageoise",
    name: "L'épicerie coopérative Arrageoise",
    description: "Épicerie coopérative à Arras.",
    themes: ["se-nourrir"],
    territories: ["COM:62041"],
    source: APES,
  },
  {
    slug: "lecourtcircuit",
    name: "LeCourtCircuit.fr",
    description: "Circuit court alimentaire.",
    themes: ["se-nourrir"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "lille-bike",
    name: "Lille bike",
    description: "Livraison à vélo.",
    themes: ["se-deplacer"],
    territories: [LILLE],
    source: APES,
  },
  {
    slug: "la-bici",
    name: "La Bici",
    description: "Atelier vélo à Lille.",
    themes: ["reparer", "se-deplacer"],
    territories: [LILLE],
    source: APES,
  },
  {
    slug: "coopcircuits",
    name: "CoopCircuits",
    description: "Circuits courts alimentaires, SCIC qui fait tourner Open Food Network.",
    software: "open-food-network",
    operator: "coopcircuits",
    themes: ["se-nourrir"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "coopcycle",
    name: "CoopCycle",
    description: "Le logiciel des coopératives de livraison à vélo.",
    software: "coopcycle",
    themes: ["se-deplacer"],
    territories: [REGION],
    source: APES,
  },
  {
    slug: "beefast",
    name: "Beefast",
    description: "Coursiers à vélo à Amiens.",
    themes: ["se-deplacer"],
    territories: ["COM:80021"],
    source: APES,
  },
  {
    slug: "conciergerie-solidaire",
    name: "La conciergerie solidaire",
    description: "Conciergerie solidaire soutenue par la Métropole Européenne de Lille.",
    themes: ["echanger"],
    territories: ["EPCI:200093201"],
    source: APES,
  },
  {
    slug: "mobicoop",
    name: "Mobicoop",
    description: "Covoiturage coopératif (présence dans l'annuaire non vérifiée).",
    themes: ["se-deplacer"],
    territories: [REGION],
    source: PLACEHOLDER,
  },
];

const BATCH_SIZE = 1000;

/** Every French territory, once per version of the dataset, in batches with a progress line. */
async function seedTerritories(db: Database, progress: (line: string) => void): Promise<void> {
  const dataset = `${DATASET_SOURCE}@${DATASET_VERSION}`;
  const loaded = await loadDatasetOnce(
    db,
    datasetImports,
    DATASET_SOURCE,
    DATASET_VERSION,
    async (tx) => {
      const records = [...loadTerritories().values()];
      for (let start = 0; start < records.length; start += BATCH_SIZE) {
        const batch = records.slice(start, start + BATCH_SIZE).map((record) => ({
          ...record,
          searchName: normalizeForSearch(record.name),
          source: dataset,
          sourceId: record.code,
        }));
        await tx
          .insert(territories)
          .values(batch)
          .onConflictDoUpdate({ target: territories.id, set: takeIncoming(territories) });
        // A new version of the dataset may rename a territory: its terms are written anew.
        await tx.delete(territorySearchTerms).where(
          inArray(
            territorySearchTerms.territoryId,
            batch.map((t) => t.id),
          ),
        );
        await tx
          .insert(territorySearchTerms)
          .values(
            batch.flatMap((t) =>
              searchTermsOf(t.searchName).map((term) => ({ term, territoryId: t.id })),
            ),
          );
        progress(
          `directory: territoires ${Math.min(start + BATCH_SIZE, records.length)}/${records.length}`,
        );
      }
      return records.length;
    },
  );
  // Fresh statistics, so that the planner uses the search and path indexes from the first query.
  if (loaded) await db.execute(sql`analyze ${territories}, ${territorySearchTerms}`);
}

/** "henin beaumont" → ["henin beaumont", "beaumont"]: a search matches from the start of any word. */
export function searchTermsOf(searchName: string): string[] {
  const words = searchName.split(" ");
  return [...new Set(words.map((_, index) => words.slice(index).join(" ")))];
}

async function seedProgramme(db: Database): Promise<void> {
  const data = { SOFTWARE, ORGANIZATIONS, THEMES, PLATFORMS };
  await loadDatasetOnce(db, datasetImports, "seed:programme", contentVersion(data), async (tx) => {
    for (const row of SOFTWARE)
      await tx.insert(software).values(row).onConflictDoUpdate({ target: software.slug, set: row });
    for (const row of ORGANIZATIONS)
      await tx
        .insert(organizations)
        .values(row)
        .onConflictDoUpdate({ target: organizations.id, set: row });
    for (const row of THEMES)
      await tx.insert(themes).values(row).onConflictDoUpdate({ target: themes.slug, set: row });
    for (const seed of PLATFORMS) {
      const row = {
        slug: seed.slug,
        name: seed.name,
        searchName: normalizeForSearch(seed.name),
        url: seed.url ?? null,
        description: seed.description,
        softwareSlug: seed.software ?? null,
        operatorId: seed.operator ?? null,
        source: seed.source,
        sourceId: null,
      };
      await tx
        .insert(platforms)
        .values(row)
        .onConflictDoUpdate({ target: platforms.slug, set: row });
      await tx.delete(platformThemes).where(eq(platformThemes.platformSlug, seed.slug));
      await tx.delete(platformTerritories).where(eq(platformTerritories.platformSlug, seed.slug));
      if (seed.themes.length)
        await tx
          .insert(platformThemes)
          .values(seed.themes.map((themeSlug) => ({ platformSlug: seed.slug, themeSlug })));
      await tx
        .insert(platformTerritories)
        .values(seed.territories.map((territoryId) => ({ platformSlug: seed.slug, territoryId })));
    }
    return PLATFORMS.length;
  });
}

export async function seed(db: Database, progress: (line: string) => void): Promise<void> {
  await seedTerritories(db, progress);
  await seedProgramme(db);
}
