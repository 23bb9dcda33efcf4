import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Builds the playground into dist/, served by the gateway: every asset local, none from a CDN. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  // Libraries ship "use client" directives rolldown reports one by one; real errors still show.
  logLevel: "error",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 8000 },
});
