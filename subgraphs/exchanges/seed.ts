import type { Database } from "../../lib/database.js";
import { contentVersion, loadDatasetOnce, takeIncoming } from "../../lib/seed.js";
import { territoryPath } from "../../lib/territories.js";
import {
  categories,
  datasetImports,
  instances,
  loanEvents,
  loans,
  members,
  type OpeningSlot,
  products,
  unavailabilities,
} from "./tables.js";

/**
 * The Apes' EBS instance and a planned one for Lomme, EBS's real category names, and a
 * demonstration catalogue (`source: "demonstration"`): places, people known by a chosen display
 * name, products and a year of loans. None of the demonstration rows describes a real person or place.
 */
const APES = "apes-plateformcoop";
const DEMO = "demonstration";

const INSTANCES = [
  {
    slug: "apes-demo",
    name: "EBS – instance des Apes",
    baseUrl: null,
    territoryId: "REG:32",
    platformSlug: "ebs",
    servicesEnabled: true,
    source: APES,
    sourceId: null,
  },
  // Planned by Lomme, not verified to exist yet.
  {
    slug: "lomme",
    name: "EBS Lomme",
    baseUrl: null,
    territoryId: "COMA:59355",
    platformSlug: null,
    servicesEnabled: false,
    source: "placeholder",
    sourceId: null,
  },
];

const slugify = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** EBS's category names, from its fixtures. */
const OBJECT_CATEGORIES = [
  "Activités manuelles et créatives",
  "Cuisine & accessoires",
  "Entretien de la maison",
  "Jardinage",
  "Livres",
  "Matériel de sports",
  "Puériculture",
  "Réception & fêtes",
  "Travaux & outillage",
  "Vélos & accessoires",
];
const SERVICE_CATEGORIES = ["Aide bricolage", "Cours", "Soutien scolaire"];
const CATEGORIES = [
  ...OBJECT_CATEGORIES.map((name, position) => ({
    id: slugify(name),
    type: "OBJECT",
    name,
    parentId: null,
    position,
    source: "ebs-fixtures",
  })),
  ...SERVICE_CATEGORIES.map((name, position) => ({
    id: slugify(name),
    type: "SERVICE",
    name,
    parentId: null,
    position,
    source: "ebs-fixtures",
  })),
];

const AFTERNOONS: OpeningSlot[] = [
  { day: "wednesday", opens: "14:00", closes: "18:00" },
  { day: "saturday", opens: "10:00", closes: "12:30" },
];

interface MemberSeed {
  id: string;
  instanceSlug: string;
  kind: "PLACE" | "PERSON";
  displayName: string;
  street?: string;
  postalCode?: string;
  locality?: string;
  schedule?: OpeningSlot[];
  territoryId: string;
}

const MEMBER_SEEDS: MemberSeed[] = [
  {
    id: "demo-place-lomme",
    instanceSlug: "lomme",
    kind: "PLACE",
    displayName: "Objetothèque de démonstration de Lomme",
    street: "1 rue de l'Exemple",
    postalCode: "59160",
    locality: "Lomme",
    schedule: AFTERNOONS,
    territoryId: "COMA:59355",
  },
  {
    id: "demo-place-fives",
    instanceSlug: "apes-demo",
    kind: "PLACE",
    displayName: "Objetothèque de démonstration de Lille-Fives",
    street: "2 rue de l'Exemple",
    postalCode: "59800",
    locality: "Lille",
    schedule: AFTERNOONS,
    territoryId: "COM:59350",
  },
  {
    id: "demo-place-hellemmes",
    instanceSlug: "apes-demo",
    kind: "PLACE",
    displayName: "Ressourcerie de démonstration d'Hellemmes",
    street: "3 rue de l'Exemple",
    postalCode: "59260",
    locality: "Lille",
    schedule: [{ day: "saturday", opens: "09:00", closes: "13:00" }],
    territoryId: "COMA:59298",
  },
  {
    id: "demo-person-1",
    instanceSlug: "lomme",
    kind: "PERSON",
    displayName: "Jardinière du Marais",
    territoryId: "COMA:59355",
  },
  {
    id: "demo-person-2",
    instanceSlug: "lomme",
    kind: "PERSON",
    displayName: "Bricoleur du Bourg",
    territoryId: "COMA:59355",
  },
  {
    id: "demo-person-3",
    instanceSlug: "apes-demo",
    kind: "PERSON",
    displayName: "Lectrice de Fives",
    territoryId: "COM:59350",
  },
  {
    id: "demo-person-4",
    instanceSlug: "apes-demo",
    kind: "PERSON",
    displayName: "Cycliste du Triolo",
    territoryId: "COM:59009",
  },
  {
    id: "demo-person-5",
    instanceSlug: "apes-demo",
    kind: "PERSON",
    displayName: "Parent de Roubaix",
    territoryId: "COM:59512",
  },
];

type ProductSeed = [
  owner: string,
  category: string,
  name: string,
  description: string,
  extra?: {
    status?: string;
    visibility?: string;
    depositCents?: number;
    preferredLoanDays?: number;
    age?: string;
    durationMinutes?: number;
  },
];

const PRODUCTS: ProductSeed[] = [
  [
    "demo-place-lomme",
    "travaux-outillage",
    "Perceuse-visseuse",
    "Perceuse sans fil avec deux batteries et un coffret de mèches.",
    { depositCents: 3000, preferredLoanDays: 3, age: "2 ans" },
  ],
  [
    "demo-place-lomme",
    "travaux-outillage",
    "Ponceuse excentrique",
    "Avec un lot d'abrasifs.",
    { depositCents: 2000, preferredLoanDays: 3 },
  ],
  [
    "demo-place-lomme",
    "travaux-outillage",
    "Escabeau cinq marches",
    "Escabeau aluminium.",
    { preferredLoanDays: 2 },
  ],
  [
    "demo-place-lomme",
    "jardinage",
    "Taille-haie électrique",
    "Lame de 50 cm.",
    { depositCents: 3000, preferredLoanDays: 2 },
  ],
  [
    "demo-place-lomme",
    "jardinage",
    "Scarificateur",
    "Pour aérer la pelouse au printemps.",
    { depositCents: 4000, preferredLoanDays: 2 },
  ],
  [
    "demo-place-lomme",
    "reception-fetes",
    "Appareil à raclette",
    "Huit personnes.",
    { preferredLoanDays: 2 },
  ],
  [
    "demo-place-lomme",
    "reception-fetes",
    "Tables pliantes (lot de 2)",
    "Pour les fêtes de voisins.",
    { preferredLoanDays: 3 },
  ],
  [
    "demo-place-lomme",
    "cuisine-accessoires",
    "Déshydrateur alimentaire",
    "Cinq plateaux.",
    { preferredLoanDays: 7 },
  ],
  [
    "demo-place-lomme",
    "entretien-de-la-maison",
    "Nettoyeur vapeur",
    "Pour sols et vitres.",
    { depositCents: 2500, preferredLoanDays: 3 },
  ],
  [
    "demo-place-lomme",
    "entretien-de-la-maison",
    "Shampouineuse",
    "Moquettes et canapés.",
    { depositCents: 3000, preferredLoanDays: 2, status: "PAUSED" },
  ],
  [
    "demo-person-1",
    "jardinage",
    "Grelinette",
    "Pour travailler la terre sans la retourner.",
    { preferredLoanDays: 7 },
  ],
  [
    "demo-person-1",
    "jardinage",
    "Broyeur de végétaux",
    "Prêté aux voisins du quartier.",
    { depositCents: 5000, preferredLoanDays: 2, visibility: "RESTRICTED" },
  ],
  [
    "demo-person-2",
    "travaux-outillage",
    "Scie sauteuse",
    "Avec lames bois et métal.",
    { preferredLoanDays: 3 },
  ],
  [
    "demo-person-2",
    "aide-bricolage",
    "Aide au montage de meubles",
    "Une heure de coup de main.",
    { durationMinutes: 60 },
  ],
  [
    "demo-person-2",
    "travaux-outillage",
    "Décolleuse de papier peint",
    "Ancienne mais efficace.",
    { status: "DELETED" },
  ],
  [
    "demo-place-fives",
    "livres",
    "Lot de bandes dessinées",
    "Une vingtaine d'albums jeunesse.",
    { preferredLoanDays: 21 },
  ],
  [
    "demo-place-fives",
    "livres",
    "Guides de randonnée des Hauts-de-France",
    "Trois guides.",
    { preferredLoanDays: 14 },
  ],
  [
    "demo-place-fives",
    "materiel-de-sports",
    "Raquettes de badminton",
    "Quatre raquettes et des volants.",
    { preferredLoanDays: 7 },
  ],
  [
    "demo-place-fives",
    "materiel-de-sports",
    "Tente deux places",
    "Montage rapide.",
    { depositCents: 4000, preferredLoanDays: 7 },
  ],
  [
    "demo-place-fives",
    "activites-manuelles-et-creatives",
    "Machine à coudre",
    "Avec pédale et canettes.",
    { depositCents: 5000, preferredLoanDays: 7 },
  ],
  [
    "demo-place-fives",
    "activites-manuelles-et-creatives",
    "Kit de linogravure",
    "Gouges et encres.",
    { preferredLoanDays: 7 },
  ],
  ["demo-place-fives", "puericulture", "Lit parapluie", "Avec matelas.", { preferredLoanDays: 14 }],
  [
    "demo-place-fives",
    "puericulture",
    "Porte-bébé physiologique",
    "Jusqu'à 15 kg.",
    { preferredLoanDays: 14 },
  ],
  [
    "demo-place-fives",
    "cuisine-accessoires",
    "Robot pâtissier",
    "Bol de 5 litres.",
    { depositCents: 5000, preferredLoanDays: 3 },
  ],
  [
    "demo-place-hellemmes",
    "velos-accessoires",
    "Remorque vélo enfant",
    "Deux places.",
    { depositCents: 5000, preferredLoanDays: 7 },
  ],
  [
    "demo-place-hellemmes",
    "velos-accessoires",
    "Pied d'atelier vélo",
    "Pour réparer chez soi.",
    { preferredLoanDays: 3 },
  ],
  [
    "demo-place-hellemmes",
    "velos-accessoires",
    "Sacoches de voyage",
    "Paire de sacoches arrière étanches.",
    { preferredLoanDays: 14 },
  ],
  [
    "demo-place-hellemmes",
    "travaux-outillage",
    "Caisse à outils complète",
    "Tournevis, clés, pinces.",
    { preferredLoanDays: 3 },
  ],
  [
    "demo-place-hellemmes",
    "reception-fetes",
    "Sono portable",
    "Enceinte et micro.",
    { depositCents: 6000, preferredLoanDays: 2 },
  ],
  [
    "demo-person-3",
    "livres",
    "Romans policiers",
    "Une douzaine de poches.",
    { preferredLoanDays: 30 },
  ],
  [
    "demo-person-3",
    "soutien-scolaire",
    "Soutien en français (collège)",
    "Une séance d'une heure.",
    { durationMinutes: 60 },
  ],
  [
    "demo-person-3",
    "cours",
    "Initiation au tricot",
    "Deux heures, laine fournie.",
    { durationMinutes: 120 },
  ],
  [
    "demo-person-4",
    "velos-accessoires",
    "Pompe à pied avec manomètre",
    "Valves Presta et Schrader.",
    { preferredLoanDays: 7 },
  ],
  [
    "demo-person-4",
    "velos-accessoires",
    "Vélo cargo",
    "Triporteur, pour un déménagement léger.",
    { depositCents: 20000, preferredLoanDays: 2 },
  ],
  [
    "demo-person-5",
    "puericulture",
    "Poussette tout-terrain",
    "Pliage compact.",
    { preferredLoanDays: 14 },
  ],
  [
    "demo-person-5",
    "materiel-de-sports",
    "Trottinette enfant",
    "Trois roues.",
    { preferredLoanDays: 14 },
  ],
];

const STATUS_CYCLE = [
  "FINISHED",
  "FINISHED",
  "FINISHED",
  "REFUSED",
  "FINISHED",
  "CONFIRMED",
  "FINISHED",
  "TO_CONFIRM",
  "FINISHED",
  "NEW",
];

/** The demonstration rows, built when seeding only: placing members loads every territory of France. */
function demonstrationRows() {
  const MEMBERS = MEMBER_SEEDS.map((m) => ({
    ...m,
    street: m.street ?? null,
    postalCode: m.postalCode ?? null,
    locality: m.locality ?? null,
    schedule: m.schedule ?? null,
    territoryPath: territoryPath(m.territoryId),
    source: DEMO,
    sourceId: null,
  }));

  const PRODUCT_ROWS = PRODUCTS.map(
    ([ownerId, categoryId, name, description, extra = {}], index) => {
      const owner = MEMBERS.find((m) => m.id === ownerId)!;
      const type = SERVICE_CATEGORIES.map(slugify).includes(categoryId) ? "SERVICE" : "OBJECT";
      return {
        id: `demo-product-${String(index + 1).padStart(2, "0")}`,
        instanceSlug: owner.instanceSlug,
        ownerId,
        type,
        categoryId,
        status: extra.status ?? "ACTIVE",
        visibility: extra.visibility ?? "PUBLIC",
        name,
        slug: slugify(name),
        description,
        age: extra.age ?? null,
        depositCents: type === "OBJECT" ? (extra.depositCents ?? null) : null,
        currency: type === "OBJECT" && extra.depositCents ? "EUR" : null,
        preferredLoanDays: type === "OBJECT" ? (extra.preferredLoanDays ?? null) : null,
        durationMinutes: type === "SERVICE" ? (extra.durationMinutes ?? null) : null,
        territoryPath: owner.territoryPath,
        source: DEMO,
        sourceId: null,
      };
    },
  );

  const PEOPLE = MEMBERS.filter((m) => m.kind === "PERSON").map((m) => m.id);

  /**
   * A year of loans, December 2025 to November 2026, on fixed dates so the seed's content never
   * changes: two or three a month, each on its own product and days, in every status.
   */
  const LOAN_ROWS = Array.from({ length: 30 }, (_, index) => {
    const listed = PRODUCT_ROWS.filter(
      (p) => p.status === "ACTIVE" && p.visibility === "PUBLIC" && p.type === "OBJECT",
    );
    const product = listed[index % listed.length]!;
    const month = index % 12; // 0 = December 2025
    const year = month === 0 ? 2025 : 2026;
    const monthNumber = month === 0 ? 12 : month;
    const day = 3 + Math.floor(index / 12) * 9;
    const start = `${year}-${String(monthNumber).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const end = `${year}-${String(monthNumber).padStart(2, "0")}-${String(day + 3).padStart(2, "0")}`;
    const borrowerId =
      PEOPLE.find(
        (person) => person !== product.ownerId && (index + PEOPLE.indexOf(person)) % 2 === 0,
      ) ?? PEOPLE.find((p) => p !== product.ownerId)!;
    return {
      id: `demo-loan-${String(index + 1).padStart(2, "0")}`,
      productId: product.id,
      lenderId: product.ownerId,
      borrowerId,
      startDate: start,
      endDate: end,
      status: STATUS_CYCLE[index % STATUS_CYCLE.length]!,
      source: DEMO,
      sourceId: null,
    };
  });
  return { MEMBERS, PRODUCT_ROWS, LOAN_ROWS };
}

const UNAVAILABILITIES = [
  { id: 1, productId: "demo-product-04", startDate: "2026-07-01", endDate: "2026-08-31" },
];

export async function seed(db: Database): Promise<void> {
  const { MEMBERS, PRODUCT_ROWS, LOAN_ROWS } = demonstrationRows();
  const data = { INSTANCES, CATEGORIES, MEMBERS, PRODUCT_ROWS, LOAN_ROWS, UNAVAILABILITIES };
  await loadDatasetOnce(
    db,
    datasetImports,
    "seed:demonstration",
    contentVersion(data),
    async (tx) => {
      await tx
        .insert(instances)
        .values(INSTANCES)
        .onConflictDoUpdate({ target: instances.slug, set: takeIncoming(instances) });
      await tx
        .insert(categories)
        .values(CATEGORIES)
        .onConflictDoUpdate({ target: categories.id, set: takeIncoming(categories) });
      await tx
        .insert(members)
        .values(MEMBERS)
        .onConflictDoUpdate({ target: members.id, set: takeIncoming(members) });
      await tx
        .insert(products)
        .values(PRODUCT_ROWS)
        .onConflictDoUpdate({ target: products.id, set: takeIncoming(products) });
      await tx
        .insert(unavailabilities)
        .values(UNAVAILABILITIES)
        .onConflictDoUpdate({ target: unavailabilities.id, set: takeIncoming(unavailabilities) });
      const inserted = await tx
        .insert(loans)
        .values(LOAN_ROWS)
        .onConflictDoNothing()
        .returning({ id: loans.id, status: loans.status, lenderId: loans.lenderId });
      if (inserted.length) {
        await tx.insert(loanEvents).values(
          inserted.map((loan) => ({
            loanId: loan.id,
            actorId: loan.lenderId,
            action: "seed",
            toStatus: loan.status,
          })),
        );
      }
      return PRODUCT_ROWS.length + LOAN_ROWS.length;
    },
  );
}
