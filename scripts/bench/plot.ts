import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { chromium } from "playwright-core";
import type { SizeResults } from "./report.js";
import { HIVE, HIVE_DEFAULTS, NO_FETCH_CACHE, UNCACHED, WORKERS } from "./targets.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const COLOURS: Record<string, string> = {
  hub: "#1b7f5b",
  [NO_FETCH_CACHE]: "#5cc49a",
  [UNCACHED]: "#a3d9c0",
  [WORKERS]: "#2c5d8f",
  [HIVE]: "#f0a202",
  [HIVE_DEFAULTS]: "#f7d58b",
  direct: "#6c757d",
};

/** Why a full run could not draw its plot, before it spends its measures: null when it can. */
export function plotUnavailable(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `no browser at ${CHROMIUM} to draw docs/benchmarks.png: apt-get install chromium, or set CHROMIUM_PATH`;
}

/**
 * Requests per second per workload and target, as a PNG: Chart.js (already the playground's
 * chart library) drawn by the system's Chromium, offline, on a logarithmic axis since cached
 * answers and database writes are orders of magnitude apart. Returns the path relative to docs/.
 */
export async function renderPlot(sizes: SizeResults[], path: string): Promise<string> {
  const chartJs = join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.js");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1000, height: 324 * sizes.length },
      deviceScaleFactor: 1,
    });
    await page.setContent(
      `<body style="margin:0;background:#fff;font-family:sans-serif">${sizes.map((_, i) => `<div style="height:${300}px;padding:12px"><canvas id="c${i}"></canvas></div>`).join("")}</body>`,
    );
    await page.addScriptTag({ path: chartJs });
    const charts = sizes.map((size) => {
      const workloads = size.results.map((r) => r.workload);
      const targets = [...new Set(size.results.flatMap((r) => r.measures.map((m) => m.target)))];
      return {
        title: `Requêtes par seconde (échelle log) — ${size.size === "seeded" ? "données de démonstration" : "à l'échelle (100 000 produits, 500 000 rendez-vous)"}`,
        labels: workloads,
        datasets: targets.map((target) => ({
          label: target,
          backgroundColor: COLOURS[target] ?? "#333",
          data: size.results.map((r) =>
            Math.round(r.measures.find((m) => m.target === target)?.requestsPerSecond ?? 0),
          ),
        })),
      };
    });
    await page.evaluate((charts) => {
      const Chart = (
        window as unknown as { Chart: new (canvas: HTMLCanvasElement, config: unknown) => unknown }
      ).Chart;
      charts.forEach((chart, i) => {
        new Chart(document.getElementById(`c${i}`) as HTMLCanvasElement, {
          type: "bar",
          data: { labels: chart.labels, datasets: chart.datasets },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            plugins: { title: { display: true, text: chart.title } },
            scales: { y: { type: "logarithmic", title: { display: true, text: "req/s" } } },
          },
        });
      });
    }, charts);
    await page.screenshot({ path, fullPage: true });
  } finally {
    await browser.close();
  }
  return basename(path);
}
