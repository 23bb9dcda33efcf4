import { readdirSync, readFileSync } from "node:fs";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type RunningServer } from "../lib/http.js";
import { playgroundRouter } from "./playground.js";

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(enabled: boolean): Promise<string> {
  const app = express();
  app.use(playgroundRouter({ enabled }));
  const server = await listen(app, 0, "127.0.0.1");
  servers.push(server);
  return server.url;
}

describe("playgroundRouter", () => {
  it("serves the page at / and /playground, with its assets", async () => {
    const url = await serve(true);
    for (const path of ["/", "/playground", "/playground/"]) {
      const response = await fetch(url + path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="playground">');
    }
    const [asset] = readdirSync("gateway/playground/dist/assets").filter((name) =>
      name.endsWith(".js"),
    );
    expect((await fetch(`${url}/playground/assets/${asset}`)).status).toBe(200);
  });

  it("serves the registry console at /console, with the same assets", async () => {
    const url = await serve(true);
    for (const path of ["/console", "/console/"]) {
      const response = await fetch(url + path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="console">');
    }
    const [asset] = readdirSync("gateway/playground/dist/assets").filter((name) =>
      name.endsWith(".js"),
    );
    expect((await fetch(`${url}/console/assets/${asset}`)).status).toBe(200);
  });

  it("serves nothing when disabled", async () => {
    const url = await serve(false);
    expect((await fetch(`${url}/playground`)).status).toBe(404);
    expect((await fetch(`${url}/console`)).status).toBe(404);
  });

  it("loads nothing from another host", () => {
    const files = [
      "index.html",
      "console.html",
      ...readdirSync("gateway/playground/dist/assets").map((name) => `assets/${name}`),
    ].filter((name) => /\.(html|css)$/.test(name));
    for (const file of files) {
      const text = readFileSync(`gateway/playground/dist/${file}`, "utf8");
      // Stylesheets and the page may refer only to local files: no CDN, no web fonts elsewhere.
      expect(text.match(/(?:src|href)=["']https?:\/\/|url\(\s*["']?https?:\/\//g), file).toBeNull();
    }
  });
});
