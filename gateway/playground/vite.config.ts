import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Builds the playground and the registry console into dist/, served by the gateway: every asset
 * local, none from a CDN. Two pages, one build: they share React and Chart.js chunks.
 */
export default defineConfig({
  root,
  base: "./",
  // Libraries ship "use client" directives rolldown reports one by one; real errors still show.
  logLevel: "error",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      input: { playground: `${root}index.html`, console: `${root}console.html` },
    },
  },
});
