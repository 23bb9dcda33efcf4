import { describe, expect, it } from "vitest";
import { resolveCommune } from "./communes.js";

describe("resolveCommune", () => {
  it("needs the city name: one postcode serves several communes", () => {
    expect(resolveCommune("Capinghem", "59160").id).toBe("COM:59128");
    expect(resolveCommune("Lille", "59160").id).toBe("COM:59350");
    expect(resolveCommune("Lezennes", "59260").id).toBe("COM:59346");
  });

  it("finds associated communes under their parent's postcodes, whichever way the name is written", () => {
    expect(resolveCommune("Lomme", "59160").id).toBe("COMA:59355");
    expect(resolveCommune("Lille-Lomme", "59160").id).toBe("COMA:59355");
    expect(resolveCommune("Lille Hellemmes", "59260").id).toBe("COMA:59298");
    expect(resolveCommune("HELLEMMES-LILLE", "59260").id).toBe("COMA:59298");
  });

  it("ignores accents, case, abbreviations and Cedex", () => {
    expect(resolveCommune("villeneuve d'ascq", "59650").id).toBe("COM:59009");
    expect(resolveCommune("Hénin-Beaumont Cedex", "62110").id).toBe("COM:62427");
  });

  it("reports rather than guesses", () => {
    expect(resolveCommune("Roubaix", "59000")).toMatchObject({
      id: null,
      reason: expect.stringContaining("no commune named"),
    });
    expect(resolveCommune("Lille", "")).toMatchObject({
      id: null,
      reason: expect.stringContaining("not a French postcode"),
    });
    expect(resolveCommune("", "59000")).toMatchObject({ id: null, reason: "no city name" });
    expect(resolveCommune("Lille", "99999")).toMatchObject({
      id: null,
      reason: "no commune has postcode 99999",
    });
  });
});
