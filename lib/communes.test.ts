import { describe, expect, it } from "vitest";
import { resolveCommune } from "./communes.js";

const id = (city: string, postcode: string) => resolveCommune(city, postcode).id;

describe("resolveCommune", () => {
  it("files the postcode La Poste gives a commune associée under it, whichever name the address uses", () => {
    // 59160 is Lille's postcode for Lomme (libellé LOMME), 59260 for Hellemmes (HELLEMMES LILLE).
    expect(id("Lille", "59160")).toBe("COMA:59355");
    expect(id("Lomme", "59160")).toBe("COMA:59355");
    expect(id("Lille-Lomme", "59160")).toBe("COMA:59355");
    expect(id("Hellemmes", "59260")).toBe("COMA:59298");
    expect(id("Lille", "59260")).toBe("COMA:59298");
    expect(id("Lille-Hellemmes", "59260")).toBe("COMA:59298");
    expect(id("HELLEMMES LILLE", "59260")).toBe("COMA:59298");
  });

  it("files an address that names no commune associée or déléguée under its commune", () => {
    expect(id("Lille", "59000")).toBe("COM:59350");
    expect(id("Lille", "59800")).toBe("COM:59350");
    // Hesdin-la-Forêt has one postcode for all its communes déléguées: HESDIN does not single one out.
    expect(id("Hesdin-la-Forêt", "62140")).toBe("COM:62447");
    // Formerie's commune déléguée of the same name is the commune itself.
    expect(id("Formerie", "60220")).toBe("COM:60245");
  });

  it("finds the communes déléguées of a commune nouvelle, named or from their own postcode", () => {
    // Dhuys et Morin-en-Brie (02458): 02330 is Artonges's libellé, 02540 the commune's own.
    expect(id("Artonges", "02330")).toBe("COMD:02026");
    expect(id("Dhuys-et-Morin-en-Brie", "02330")).toBe("COMD:02026");
    expect(id("Dhuys et Morin en Brie", "02540")).toBe("COM:02458");
    expect(id("Hesdin", "62140")).toBe("COMD:62447");
    // Dunkerque's 59430 is Saint-Pol-sur-Mer (ST POL SUR MER), a commune associée.
    expect(id("Dunkerque", "59430")).toBe("COMA:59540");
    expect(id("St-Pol-sur-Mer", "59430")).toBe("COMA:59540");
  });

  it("needs the city name when several communes share a postcode", () => {
    expect(id("Capinghem", "59160")).toBe("COM:59128");
    expect(id("Lezennes", "59260")).toBe("COM:59346");
    expect(id("Ronchin", "59790")).toBe("COM:59507");
  });

  it("ignores accents, case, abbreviations and Cedex", () => {
    expect(id("villeneuve d'ascq", "59650")).toBe("COM:59009");
    expect(id("Hénin-Beaumont Cedex", "62110")).toBe("COM:62427");
    expect(id("ST ANDRE LEZ LILLE", "59350")).toBe("COM:59527");
  });

  it("reports rather than guesses", () => {
    // Two communes named Thièvres, in the Pas-de-Calais and the Somme, share 62760.
    expect(resolveCommune("Thièvres", "62760")).toEqual({
      id: null,
      reason: '"Thièvres" 62760 matches COM:62814, COM:80756',
    });
    expect(resolveCommune("Roubaix", "59000")).toEqual({
      id: null,
      reason: 'no commune named "Roubaix" has postcode 59000',
    });
    expect(resolveCommune("Lille Centre", "59000").id).toBeNull();
    expect(resolveCommune("Lille", "")).toMatchObject({
      id: null,
      reason: expect.stringContaining("not a French postcode"),
    });
    expect(resolveCommune("", "59000")).toEqual({ id: null, reason: "no city name" });
    expect(resolveCommune("Lille", "99999")).toEqual({
      id: null,
      reason: "no commune has postcode 99999",
    });
  });
});
