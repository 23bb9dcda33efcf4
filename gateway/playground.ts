import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router } from "express";
import { sourcePath } from "../lib/paths.js";

const DIST = sourcePath(import.meta.url, "playground/dist");

export interface PlaygroundOptions {
  /** `PLAYGROUND_ENABLED=false` serves nothing, for a locked-down deployment. */
  enabled: boolean;
}

export function readPlaygroundOptions(
  env: NodeJS.ProcessEnv = process.env,
): PlaygroundOptions & { introspection: boolean } {
  return {
    enabled: env.PLAYGROUND_ENABLED !== "false",
    introspection: env.INTROSPECTION_ENABLED !== "false",
  };
}

/**
 * The self-hosted GraphiQL playground at `/` and `/playground`, and the registry console at
 * `/console`: built by vite into
 * gateway/playground/dist (`npm run build:playground`, run by `npm install`), every asset served
 * from here, nothing from another host.
 */
export function playgroundRouter({ enabled }: PlaygroundOptions): Router {
  const router = Router();
  if (!enabled) return router;
  const built = existsSync(join(DIST, "index.html"));
  const notBuilt: express.RequestHandler = (_req, res) => {
    res
      .status(503)
      .type("text/plain; charset=utf-8")
      .send("Le terrain de jeu n'est pas construit : lancez « npm run build:playground ».\n");
  };
  const page =
    (file: string): express.RequestHandler =>
    (_req, res) =>
      res.sendFile(join(DIST, file));
  router.get(["/", "/playground", "/playground/"], built ? page("index.html") : notBuilt);
  // The registry console: the same build, its data from /admin/graphql with the key given.
  router.get(["/console", "/console/"], built ? page("console.html") : notBuilt);
  // The pages refer to ./assets/…: from /, /playground/ and /console/ alike.
  router.use(
    ["/assets", "/playground/assets", "/console/assets"],
    express.static(join(DIST, "assets"), { immutable: true, maxAge: "1y", fallthrough: false }),
  );
  return router;
}
