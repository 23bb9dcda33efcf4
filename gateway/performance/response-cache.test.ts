import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { responseCache } from "./response-cache.js";
import { createSharedCache } from "./shared-cache.js";

const QUERY = `query Page($id: ID!) { territory(id: $id) { name } }`;
const MUTATION = `mutation { bookAppointment(input: {}) { id } }`;

let close: (() => void) | undefined;
afterEach(() => close?.());

/**
 * The cache in front of a stand-in for Apollo Server that counts what reaches it and answers
 * with the Cache-Control it is given, as Apollo Server computes it from the cache hints.
 */
async function serve(cacheControl = "max-age=30, public") {
  let now = 0;
  const cache = await createSharedCache({ maxMegabytes: 1 }, "test:", undefined, () => now);
  let reached = 0;
  const app = express();
  app.use(
    "/graphql",
    express.json(),
    responseCache(cache),
    (request: express.Request, response: express.Response) => {
      reached += 1;
      response
        .set("cache-control", cacheControl)
        .type("application/json")
        .send(JSON.stringify({ data: { n: reached, variables: request.body?.variables ?? null } }));
    },
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  close = () => server.close();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  return {
    url,
    post,
    reached: () => reached,
    advance: (seconds: number) => (now += seconds * 1000),
  };
}

describe("the response cache in front of Apollo Server", () => {
  it("answers a repeated anonymous query itself, with its age, until the answer's max-age is over", async () => {
    const server = await serve("max-age=30, public");
    const page = { query: QUERY, variables: { id: "COMA:59355" } };
    const first = await (await server.post(page)).text();
    server.advance(10);
    const hit = await server.post(page);
    expect(await hit.text()).toBe(first);
    expect(hit.headers.get("age")).toBe("10");
    expect(hit.headers.get("cache-control")).toBe("max-age=30, public");
    expect(hit.headers.get("content-type")).toMatch(/^application\/json/);
    expect(server.reached()).toBe(1);
    server.advance(20);
    await server.post(page);
    expect(server.reached()).toBe(2);
  });

  it("keys by variables and operation, and the same query by GET shares nothing it should not", async () => {
    const server = await serve();
    await server.post({ query: QUERY, variables: { id: "COMA:59355" } });
    await server.post({ query: QUERY, variables: { id: "COM:59350" } });
    await server.post({ query: QUERY, variables: { id: "COM:59350" }, operationName: "Page" });
    expect(server.reached()).toBe(3);
    const get = `${server.url}?query=${encodeURIComponent(QUERY)}&variables=${encodeURIComponent('{"id":"DEP:59"}')}`;
    await fetch(get);
    await fetch(get);
    expect(server.reached()).toBe(4);
  });

  it("never reads or writes an answer for a request with a credential", async () => {
    const server = await serve();
    const page = { query: QUERY, variables: { id: "COMA:59355" } };
    await server.post(page, { authorization: "Bearer hub_secret" });
    await server.post(page, { authorization: "Bearer hub_secret" });
    await server.post(page, { cookie: "session=1" });
    expect(server.reached()).toBe(3);
    await server.post(page);
    await server.post(page, { authorization: "Bearer hub_secret" });
    expect(server.reached()).toBe(5);
  });

  it("never keeps a mutation's answer, even one marked public", async () => {
    const server = await serve("max-age=30, public");
    await server.post({ query: MUTATION });
    await server.post({ query: MUTATION });
    expect(server.reached()).toBe(2);
  });

  it("honours the hints: nothing kept without a public max-age", async () => {
    for (const cacheControl of ["no-store", "max-age=30, private", "max-age=0, public"]) {
      const server = await serve(cacheControl);
      await server.post({ query: QUERY, variables: { id: "COMA:59355" } });
      await server.post({ query: QUERY, variables: { id: "COMA:59355" } });
      expect(server.reached()).toBe(2);
      close?.();
    }
  });
});
