import { describe, expect, it } from "vitest";
import { parseJson } from "./parse-json.js";

/** A request body of about `kilobytes`, an SDL in its variables, as a publication sends it. */
const text = (kilobytes: number, name: string) =>
  JSON.stringify({
    query: "mutation($sdl: String) { publishSubgraph(name: $name, sdl: $sdl) { version } }",
    variables: { name, sdl: "type T { value: String }\n".repeat(kilobytes * 40) },
  });

describe("parseJson", () => {
  it("parses a short text and a long one (in its worker) as JSON.parse does", async () => {
    for (const body of [text(1, "court"), text(1024, "long")])
      expect(await parseJson(Buffer.from(body))).toEqual(JSON.parse(body));
  });

  it("answers each of several long texts parsed together with its own value", async () => {
    const bodies = ["a", "b", "c", "d"].map((name) => Buffer.from(text(200, name)));
    const values = await Promise.all(bodies.map(parseJson));
    expect(
      values.map((value) => (value as { variables: { name: string } }).variables.name),
    ).toEqual(["a", "b", "c", "d"]);
  });

  it("decodes UTF-8 and skips a byte order mark, short or long", async () => {
    for (const body of [text(1, "Hellemmes-Lille"), text(200, "Villeneuve-d'Ascq")]) {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${body} `)]);
      expect(await parseJson(bytes)).toEqual(JSON.parse(body));
    }
    expect(await parseJson(Buffer.from('{"commune": "Hénin-Beaumont"}'))).toEqual({
      commune: "Hénin-Beaumont",
    });
  });

  it("rejects a text that is not JSON, short or long", async () => {
    for (const body of ['{"query": ', text(200, "tronqué").slice(0, -1)])
      await expect(parseJson(Buffer.from(body))).rejects.toThrow(SyntaxError);
  });
});
