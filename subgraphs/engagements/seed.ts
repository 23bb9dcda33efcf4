import { eq } from "drizzle-orm";
import type { Database } from "../../lib/database.js";
import { type FactsFile, readFactsFile } from "../../lib/facts/file.js";
import { factRows, replaceFacts } from "../../lib/facts/table.js";
import { contentVersion, loadDatasetOnce, takeIncoming } from "../../lib/seed.js";
import {
  callSelections,
  callsForInterest,
  challengeOrganizers,
  challenges,
  collectivites,
  datasetImports,
  engagementPlatforms,
  engagements,
  facts,
  indicators,
  manifestoSignatories,
  manifestos,
  parcours,
  parcoursFacilitators,
  parcoursParticipants,
} from "./tables.js";

/**
 * The programme as the Apes' public texts on PlateformCoop tell it (`APES`). What those texts
 * do not establish is null (a signing date, a URL) or marked `PLACEHOLDER`; nothing is invented.
 */
const APES = "apes-plateformcoop";
const PLACEHOLDER = "placeholder";

const COLLECTIVITES = [
  {
    id: "mel",
    name: "Métropole Européenne de Lille",
    kind: "METROPOLE",
    siren: "200093201",
    territoryId: "EPCI:200093201",
  },
  {
    id: "cahc",
    name: "Communauté d'agglomération d'Hénin-Carvin",
    kind: "COMMUNAUTE_AGGLOMERATION",
    siren: "246200299",
    territoryId: "EPCI:246200299",
  },
  // Communes associées of Lille: no SIREN of their own.
  {
    id: "hellemmes",
    name: "Ville d'Hellemmes",
    kind: "COMMUNE_ASSOCIEE",
    siren: null,
    territoryId: "COMA:59298",
  },
  {
    id: "lomme",
    name: "Ville de Lomme",
    kind: "COMMUNE_ASSOCIEE",
    siren: null,
    territoryId: "COMA:59355",
  },
  {
    id: "libercourt",
    name: "Ville de Libercourt",
    kind: "COMMUNE",
    siren: "216209072",
    territoryId: "COM:62907",
  },
  {
    id: "pays-du-coquelicot",
    name: "Communauté de communes du Pays du Coquelicot",
    kind: "COMMUNAUTE_COMMUNES",
    siren: "248000747",
    territoryId: "EPCI:248000747",
  },
].map((c) => ({ ...c, source: APES, sourceUrl: null }));

/** The five collectivités of the 2022 parcours, who wrote and signed the manifesto. */
const FIRST_FIVE = ["mel", "cahc", "hellemmes", "lomme", "libercourt"];

const PARCOURS = [
  {
    id: "parcours-2022",
    title: "Parcours de qualification des collectivités aux plateformes coopératives",
    edition: 1,
    format: "parcours",
    startedIn: "2022-09",
    facilitators: ["apes", "tilt", "la-coop-des-communs", "imt-bs"],
    participants: FIRST_FIVE,
  },
  {
    id: "parcours-2025-mooc",
    title: "Parcours de qualification, deuxième session (MOOC)",
    edition: 2,
    format: "MOOC",
    startedIn: null,
    facilitators: ["apes"],
    participants: [],
  },
];

const MANIFESTO = {
  id: "manifeste-acteurs-publics",
  title: "Les acteurs publics s'engagent aux côtés des plateformes coopératives",
  signedOn: null,
  signatories: FIRST_FIVE,
};

const CALLS = [
  {
    id: "ami-2022-parcours",
    year: 2022,
    kind: "parcours",
    title: "AMI aux acteurs publics du Nord et du Pas-de-Calais : parcours de qualification",
    selected: FIRST_FIVE,
  },
  {
    id: "ami-2024-parcours",
    year: 2024,
    kind: "parcours",
    title: "AMI 2024 : deuxième session du parcours (devenue un MOOC)",
    selected: [],
  },
  {
    id: "ami-2024-territoire",
    year: 2024,
    kind: "territoire d'expérimentation",
    title: "AMI 2024 : territoire d'expérimentation, accompagné par Coptéria et Tilt",
    selected: ["hellemmes", "pays-du-coquelicot"],
  },
];

/** The plans stated in the Apes' texts; the platforms are those they name. */
const ENGAGEMENTS = [
  {
    id: "lomme-ebs-objets",
    collectiviteId: "lomme",
    title: "Plateforme d'échange d'objets sur EBS",
    theme: "echanger",
    status: "PLANNED",
    platforms: ["ebs"],
  },
  {
    id: "lomme-coopcircuits-alimentation",
    collectiviteId: "lomme",
    title: "CoopCircuits pour la Maison de l'alimentation durable",
    theme: "se-nourrir",
    status: "PLANNED",
    platforms: ["coopcircuits"],
  },
  {
    id: "hellemmes-bien-manger",
    collectiviteId: "hellemmes",
    title: "« Bien manger » : trois solutions évaluées",
    theme: "se-nourrir",
    status: "EXPLORING",
    platforms: [],
  },
  {
    id: "mel-feuille-de-route",
    collectiviteId: "mel",
    title: "PlateformCoop dans la feuille de route de la métropole",
    theme: null,
    status: "PLANNED",
    platforms: [],
  },
  {
    id: "cahc-numerique-responsable",
    collectiviteId: "cahc",
    title: "Plateformes coopératives dans la feuille de route du numérique responsable",
    theme: null,
    status: "PLANNED",
    platforms: [],
  },
];

/** Its indicators and targets are not public: the whole challenge is a placeholder. */
const CHALLENGE = {
  id: "circuit-court-numerique-solidaire",
  title: "Circuit court numérique et solidaire",
  description:
    "Défi citoyen mené avec le Réseau Transition Hauts-de-France et une quarantaine de collectifs citoyens.",
  organizers: ["apes", "reseau-transition-hdf"],
  indicators: [
    {
      id: "collectifs-engages",
      label: "Collectifs citoyens engagés",
      unit: "collectifs",
      baseline: 0,
      target: null,
    },
    {
      id: "outils-numeriques-adoptes",
      label: "Outils numériques coopératifs adoptés",
      unit: "outils",
      baseline: 0,
      target: null,
    },
  ],
};

/** The collectivités with the official sites data/facts.json gives, and the facts' rows. */
function collectivitesWithFacts(file: FactsFile) {
  const known = new Set(COLLECTIVITES.map((c) => c.id));
  const unknown = file.collectivites.filter((c) => !known.has(c.id)).map((c) => c.id);
  if (unknown.length)
    throw new Error(`data/facts.json: unknown collectivités ${unknown.join(", ")}`);
  const factsOf = new Map(file.collectivites.map((c) => [c.id, c.facts]));
  return {
    rows: COLLECTIVITES.map((c) => ({ ...c, url: factsOf.get(c.id)?.url?.value ?? null })),
    facts: file.collectivites.flatMap((c) => factRows("collectivite", c.id, c.facts)),
  };
}

export async function seed(db: Database): Promise<void> {
  const known = collectivitesWithFacts(readFactsFile());
  const data = { known, PARCOURS, MANIFESTO, CALLS, ENGAGEMENTS, CHALLENGE };
  await loadDatasetOnce(db, datasetImports, "seed:programme", contentVersion(data), async (tx) => {
    await tx
      .insert(collectivites)
      .values(known.rows)
      .onConflictDoUpdate({ target: collectivites.id, set: takeIncoming(collectivites) });
    await replaceFacts(tx, facts, "collectivite", known.facts);

    for (const { facilitators, participants, ...row } of PARCOURS) {
      await tx
        .insert(parcours)
        .values({ ...row, source: APES, sourceUrl: null })
        .onConflictDoUpdate({ target: parcours.id, set: takeIncoming(parcours) });
      await tx.delete(parcoursFacilitators).where(eq(parcoursFacilitators.parcoursId, row.id));
      await tx.delete(parcoursParticipants).where(eq(parcoursParticipants.parcoursId, row.id));
      if (facilitators.length)
        await tx
          .insert(parcoursFacilitators)
          .values(facilitators.map((organizationId) => ({ parcoursId: row.id, organizationId })));
      if (participants.length)
        await tx
          .insert(parcoursParticipants)
          .values(participants.map((collectiviteId) => ({ parcoursId: row.id, collectiviteId })));
    }

    const { signatories, ...manifesto } = MANIFESTO;
    await tx
      .insert(manifestos)
      .values({ ...manifesto, source: APES, sourceUrl: null })
      .onConflictDoUpdate({ target: manifestos.id, set: takeIncoming(manifestos) });
    await tx.delete(manifestoSignatories).where(eq(manifestoSignatories.manifestoId, manifesto.id));
    await tx
      .insert(manifestoSignatories)
      .values(signatories.map((collectiviteId) => ({ manifestoId: manifesto.id, collectiviteId })));

    for (const { selected, ...call } of CALLS) {
      await tx
        .insert(callsForInterest)
        .values({ ...call, source: APES, sourceUrl: null })
        .onConflictDoUpdate({ target: callsForInterest.id, set: takeIncoming(callsForInterest) });
      await tx.delete(callSelections).where(eq(callSelections.callId, call.id));
      if (selected.length)
        await tx
          .insert(callSelections)
          .values(selected.map((collectiviteId) => ({ callId: call.id, collectiviteId })));
    }

    // Engagements recorded since by agents are theirs: the seed only writes its own rows.
    for (const { platforms, ...engagement } of ENGAGEMENTS) {
      const row = {
        ...engagement,
        description: null,
        startedOn: null,
        source: APES,
        sourceUrl: null,
      };
      await tx
        .insert(engagements)
        .values(row)
        .onConflictDoUpdate({ target: engagements.id, set: row });
      await tx
        .delete(engagementPlatforms)
        .where(eq(engagementPlatforms.engagementId, engagement.id));
      if (platforms.length)
        await tx
          .insert(engagementPlatforms)
          .values(platforms.map((platformSlug) => ({ engagementId: engagement.id, platformSlug })));
    }

    const { organizers, indicators: challengeIndicators, ...challenge } = CHALLENGE;
    await tx
      .insert(challenges)
      .values({ ...challenge, source: PLACEHOLDER, sourceUrl: null })
      .onConflictDoUpdate({ target: challenges.id, set: takeIncoming(challenges) });
    await tx.delete(challengeOrganizers).where(eq(challengeOrganizers.challengeId, challenge.id));
    await tx
      .insert(challengeOrganizers)
      .values(organizers.map((organizationId) => ({ challengeId: challenge.id, organizationId })));
    for (const indicator of challengeIndicators) {
      const row = { ...indicator, challengeId: challenge.id, source: PLACEHOLDER };
      await tx
        .insert(indicators)
        .values(row)
        .onConflictDoUpdate({ target: indicators.id, set: takeIncoming(indicators) });
    }
    return COLLECTIVITES.length + ENGAGEMENTS.length;
  });
}
