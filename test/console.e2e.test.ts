/// <reference lib="dom" />
import { createHash } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser, requestsElsewhere } from "./browser.js";
import {
  request,
  startTestHub,
  type TestHub,
  testRegistrySettings,
  untilAnswered,
} from "./harness.js";
import { carpoolSdl, type RunningPartner, startPartner } from "./partner.js";

const available = browserAvailable("console.e2e");

let hub: TestHub;
let carpool: RunningPartner;
let delivery: RunningPartner;
let browser: Browser;
let adminKey: string;
let carpoolToken: string;
const requested: string[] = [];

/**
 * Version 2 of the carpool partner: a field more, and a destination that may now be null (a
 * breaking change, accepted while no client reads it).
 */
const carpoolV2 = carpoolSdl().replace("destination: String!", "destination: String\n  seats: Int");
/** Another partner's subgraph, which the carpool partner must not see. */
const deliverySdl = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Territory @key(fields: "id") {
  id: ID!
  "Les points de retrait de colis de ce territoire."
  deliveryPoints: [String!]
}
`;
/** What a portal sends, naming itself in the headers the registry records. */
const TRAJETS = `query TrajetsLille { territory(id: "COM:59350") { name carpoolOffers { origin } } }`;

const admin = async <Data>(query: string, variables: Record<string, unknown>, token: string) => {
  const response = await request<Data, unknown>(
    `${hub.gatewayUrl}/admin/graphql`,
    query,
    variables,
    {
      authorization: `Bearer ${token}`,
    },
  );
  expect(response.errors).toBeUndefined();
  return response.data!;
};
const publish = (name: string, url: string, sdl: string, token: string) =>
  admin(
    `mutation($name: String!, $url: String!, $sdl: String) { publishSubgraph(name: $name, url: $url, sdl: $sdl) { version } }`,
    { name, url, sdl },
    token,
  );
const createPartner = async (id: string) =>
  (
    await admin<{ createPartner: { token: string } }>(
      `mutation($id: ID!) { createPartner(id: $id, name: "Coopérative ${id}") { token } }`,
      { id },
      adminKey,
    )
  ).createPartner.token;

/** Whether a canvas has anything drawn on it. */
const drawn = (page: Page, selector: string) =>
  page.locator(selector).evaluate((element: HTMLCanvasElement) => {
    const data = element.getContext("2d")!.getImageData(0, 0, element.width, element.height).data;
    return data.some((value, index) => index % 4 === 3 && value > 0);
  });

async function openConsole(key: string): Promise<Page> {
  // A context of its own: a fresh localStorage, so no key from another test.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("request", (request) => requested.push(request.url()));
  await page.goto(`${hub.gatewayUrl}/console`);
  await page.getByRole("heading", { name: "Obtenir une clé" }).waitFor();
  // By keyboard: the key field submits with Enter.
  await page.getByLabel("Clé d'API", { exact: true }).fill(key);
  await page.getByLabel("Clé d'API", { exact: true }).press("Enter");
  await page.locator("tr[data-subgraph='directory']").waitFor({ timeout: 30_000 });
  return page;
}

describe.skipIf(!available)("the registry console in a browser", () => {
  beforeAll(async () => {
    hub = await startTestHub({
      gateway: {
        // Usage reaches the database within a moment, as in production, for the usage chart.
        registry: testRegistrySettings({ usageFlushMs: 200 }),
      },
    });
    adminKey = (await hub.as("admin")).authorization!.replace(/^Bearer /, "");
    carpool = await startPartner();
    delivery = await startPartner(deliverySdl);
    carpoolToken = await createPartner("covoit-coop");
    const deliveryToken = await createPartner("livraison-coop");
    await publish("carpool", carpool.url, carpoolSdl(), carpoolToken);
    await publish("carpool", carpool.url, carpoolV2, carpoolToken);
    await publish("delivery", delivery.url, deliverySdl, deliveryToken);
    await untilAnswered(hub.gateway.url, TRAJETS);
    // The portal deploys its operation as a trusted document (graphql-codegen's manifest).
    await admin(
      `mutation($manifest: String!) { publishApp(name: "portail-lille", version: "2.1", manifest: $manifest) { name } }`,
      {
        manifest: JSON.stringify({
          [`sha256:${createHash("sha256").update(TRAJETS).digest("hex")}`]: TRAJETS,
        }),
      },
      carpoolToken,
    );
    for (const [client, version, times] of [
      ["portail-lille", "2.1", 3],
      ["appli-velo", "1.0", 2],
    ] as const)
      for (let i = 0; i < times; i++) {
        const response = await hub.query(TRAJETS, undefined, {
          "graphql-client-name": client,
          "graphql-client-version": version,
        });
        expect(response.errors).toBeUndefined();
      }

    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await carpool?.close();
    await delivery?.close();
    await hub?.close();
  });

  describe("with an admin key", () => {
    let page: Page;
    beforeAll(async () => {
      page = await openConsole(adminKey);
    });

    it("lists the hub's subgraphs and the partners', each with its URL, version, health, breaker and timeout", async () => {
      for (const name of ["directory", "exchanges", "bookings", "engagements", "carpool"]) {
        // Each answers the registry's probe (the hub's own only to a token of the hub's secret).
        await expect(
          page.locator(`tr[data-subgraph='${name}'] .health-healthy`).textContent(),
        ).resolves.toBe("répond");
      }
      const row = page.locator("tr[data-subgraph='carpool']");
      const text = await row.textContent();
      expect(text).toContain(carpool.url);
      expect(text).toContain("covoit-coop");
      expect(text).toContain("v2");
      expect(text).toContain("répond");
      expect(text).toContain("fermé");
      expect(text).toMatch(/\d+ ms/);
      expect(text).toContain("modifiable");
      await expect(page.locator("tr[data-subgraph='directory']").textContent()).resolves.toContain(
        "lecture seule",
      );
      await expect(page.locator("tr[data-subgraph='delivery']").count()).resolves.toBe(1);
    });

    it("opens a version's diff: the SDL lines added and the changes it brought", async () => {
      await page.getByRole("button", { name: "Versions de carpool" }).click();
      await page.getByRole("button", { name: "Changements de la v2" }).click();
      const diff = page.locator(".diff");
      await diff.waitFor();
      await expect(diff.locator(".line-removed").allTextContents()).resolves.toEqual([
        "-   destination: String!\n",
      ]);
      await expect(diff.locator(".line-added").allTextContents()).resolves.toEqual([
        "+   destination: String\n",
        "+   seats: Int\n",
      ]);
      // The registry's classification of the same changes, from the schema changelog: added, and
      // changed in red for the breaking one.
      await expect
        .poll(() => diff.locator(".change-safe").allTextContents())
        .toEqual([expect.stringContaining("CarpoolOffer.seats")]);
      const breaking = diff.locator(".change-breaking");
      await expect(breaking.allTextContents()).resolves.toEqual([
        expect.stringContaining("CarpoolOffer.destination"),
      ]);
      await expect(breaking.evaluate((item) => getComputedStyle(item).color)).resolves.toBe(
        "rgb(176, 0, 32)",
      );
      await expect(diff.getByRole("heading", { name: "Modifications (1)" }).count()).resolves.toBe(
        1,
      );
      // docs/console.png, on request only: a new one on every run would leave every checkout modified.
      if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: "docs/console.png" });
    });

    it("shows the usage of a field by client over time, after requests naming their client", async () => {
      await page.getByLabel("Type ou champ").fill("Territory.carpoolOffers");
      const chart = "canvas[aria-label^='Utilisation de Territory.carpoolOffers']";
      // Usage reaches the database a moment after the requests: ask until it is there.
      await expect
        .poll(
          async () => {
            await page.getByRole("button", { name: "Afficher l'utilisation" }).click();
            await page.locator(".usage").waitFor();
            return page.locator(chart).count();
          },
          { timeout: 20_000 },
        )
        .toBe(1);
      await expect.poll(() => drawn(page, chart)).toBe(true);
      const byClient = await page
        .locator(".usage table")
        .first()
        .locator("tbody tr")
        .evaluateAll((rows) =>
          rows.map((row) => Array.from(row.querySelectorAll("td"), (cell) => cell.textContent)),
        );
      expect(byClient).toContainEqual(["portail-lille", "2.1", "3"]);
      expect(byClient).toContainEqual(["appli-velo", "1.0", "2"]);
      await expect(page.locator(".usage").textContent()).resolves.toContain("TrajetsLille");
    });

    it("lists the fields no client used in the period", async () => {
      await page.locator("#utilisation").getByLabel("Sous-graphe").selectOption("carpool");
      const unused = page.locator(".unused ul");
      await unused.waitFor();
      const fields = await unused.locator("li").allTextContents();
      expect(fields).toContain("CarpoolOffer.seats");
      expect(fields).not.toContain("Territory.carpoolOffers");
    });

    it("lists the app deployments and their operations", async () => {
      const apps = page.locator("#applications");
      await apps.getByText("portail-lille").click();
      await expect(apps.locator("details[open] pre").textContent()).resolves.toBe(TRAJETS);
      await expect(apps.locator("details[open] summary").textContent()).resolves.toMatch(
        /portail-lille 2\.1 active 1 opération.*par covoit-coop/,
      );
    });

    it("checks a breaking SDL and shows the refusal, with the operations it would break", async () => {
      const section = page.locator("#verifier");
      await section.getByLabel("Sous-graphe", { exact: true }).fill("carpool");
      await section
        .getByLabel("SDL", { exact: true })
        .fill(carpoolV2.replace(/\s+"Les trajets[^"]*"\s+carpoolOffers: \[CarpoolOffer!\]/, ""));
      await section.getByRole("button", { name: "Vérifier" }).click();
      const result = section.locator(".check-result");
      await result.waitFor({ timeout: 20_000 });
      const text = await result.textContent();
      expect(text).toContain("Refusée");
      expect(text).toContain("BREAKING_CHANGE");
      expect(text).toContain("TrajetsLille");
      expect(text).toContain("Territory.carpoolOffers");
      await expect(
        result.locator(".change-breaking", { hasText: "Territory.carpoolOffers" }).count(),
      ).resolves.toBeGreaterThan(0);
    });

    it("rolls a version back only after showing the check's result and a confirmation", async () => {
      await page.getByRole("button", { name: "Revenir à la v1" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.locator(".check-result").waitFor({ timeout: 20_000 });
      await expect(dialog.locator(".check-result").textContent()).resolves.toContain("Acceptée");
      // Escape backs out: nothing changes, and the focus is back on the button.
      await page.keyboard.press("Escape");
      await expect(dialog.count()).resolves.toBe(0);
      await expect(
        page
          .getByRole("button", { name: "Revenir à la v1" })
          .evaluate((button) => button === document.activeElement),
      ).resolves.toBe(true);
      await expect(page.locator("tr[data-subgraph='carpool']").textContent()).resolves.toContain(
        "v2",
      );

      await page.getByRole("button", { name: "Revenir à la v1" }).click();
      await dialog.locator(".check-result").waitFor({ timeout: 20_000 });
      await dialog.getByRole("button", { name: "Confirmer le retour à la v1" }).click();
      await expect
        .poll(() => page.locator("#versions [role=status]").textContent(), { timeout: 20_000 })
        .toContain("La v1 de carpool est en service");
      await expect
        .poll(() => page.locator("tr[data-subgraph='carpool'] td").nth(2).textContent())
        .toBe("v1");
    });

    it("shows the schema changelog: each supergraph that went live and what it changed", async () => {
      const changelog = page.locator("#journal");
      await changelog.getByRole("heading", { name: /: carpool v2$/ }).waitFor();
      await expect(changelog.textContent()).resolves.toContain("CarpoolOffer.seats");
      await expect(
        changelog.getByRole("heading", { name: /: delivery v1$/ }).count(),
      ).resolves.toBe(1);
    });

    it("reads on a narrow screen without scrolling sideways", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = () =>
        page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
      await expect.poll(overflow).toBeLessThanOrEqual(0);
      // Each subgraph is a card: its cells one under the other, each named by its column.
      await expect(
        page
          .locator("tr[data-subgraph='carpool'] td[data-label='Santé']")
          .evaluate((cell) => getComputedStyle(cell).display),
      ).resolves.toBe("block");
      await page.setViewportSize({ width: 1280, height: 800 });
    });
  });

  describe("with a partner's token", () => {
    it("shows its own subgraphs with the hub's, and only its own are editable", async () => {
      const page = await openConsole(carpoolToken);
      await page.locator("tr[data-subgraph='carpool']").waitFor();
      await expect(
        page
          .locator("tr[data-subgraph]")
          .evaluateAll((rows) =>
            rows.map((row) => [
              row.getAttribute("data-subgraph"),
              row.textContent?.includes("modifiable") ? "modifiable" : "lecture seule",
            ]),
          ),
      ).resolves.toEqual([
        ["directory", "lecture seule"],
        ["exchanges", "lecture seule"],
        ["bookings", "lecture seule"],
        ["engagements", "lecture seule"],
        ["carpool", "modifiable"],
      ]);
      // Versions and rollback for its own subgraph only.
      await expect(page.getByRole("button", { name: /^Versions de/ }).count()).resolves.toBe(1);
      await page.getByRole("button", { name: "Versions de carpool" }).click();
      // The version not served (v2, after the admin's rollback) can be served again.
      await page.getByRole("button", { name: /^Revenir à la v\d$/ }).waitFor();
      await expect(page.getByRole("button", { name: /^Revenir à la v\d$/ }).count()).resolves.toBe(
        1,
      );
    });
  });

  it("is linked from the playground", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`${hub.gatewayUrl}/playground`);
    await page.getByRole("link", { name: "Console du registre" }).click();
    await page.getByRole("heading", { name: "Console du registre" }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe("/console");
  });

  it("shows only how to get a key to a key that is neither a partner's nor an admin's", async () => {
    const analyst = (await hub.as("analyst")).authorization!.replace(/^Bearer /, "");
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`${hub.gatewayUrl}/console`);
    await page.getByLabel("Clé d'API", { exact: true }).fill(analyst);
    await page.getByRole("button", { name: "Utiliser cette clé" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("Le registre demande un jeton de partenaire ou d'administration.");
    await expect(page.getByRole("heading", { name: "Obtenir une clé" }).isVisible()).resolves.toBe(
      true,
    );
    await expect(page.locator("tr[data-subgraph]").count()).resolves.toBe(0);
  });

  it("asked nothing of any host but the hub", () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requestsElsewhere(requested, hub.gatewayUrl)).toEqual([]);
  });
});
