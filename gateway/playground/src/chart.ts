import type { GraphiQLPlugin } from "@graphiql/react";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import Papa from "papaparse";
import { createElement as h, useEffect, useRef, useState } from "react";
import { ChartIcon } from "./icons.js";
import { lastResult } from "./last-result.js";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
);

type Row = Record<string, unknown>;

/** The first list in an answer, depth first: what a chart or a CSV shows. */
export function firstList(value: unknown): Row[] | null {
  if (Array.isArray(value))
    return value.length && value.every((item) => item && typeof item === "object")
      ? (value as Row[])
      : null;
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) {
      const found = firstList(child);
      if (found) return found;
    }
  }
  return null;
}

const isSeries = (rows: Row[] | null): rows is { key: string; count: number }[] =>
  !!rows && rows.every((row) => typeof row.key === "string" && typeof row.count === "number");

/** Nested objects become dotted columns, lists are joined: one row per item. */
function flatten(row: Row, prefix = ""): Row {
  return Object.fromEntries(
    Object.entries(row).flatMap(([key, value]) => {
      const column = prefix + key;
      if (Array.isArray(value))
        return [
          [
            column,
            value
              .map((v) => (v && typeof v === "object" ? JSON.stringify(v) : String(v)))
              .join(" | "),
          ],
        ];
      if (value && typeof value === "object")
        return Object.entries(flatten(value as Row, `${column}.`));
      return [[column, value]];
    }),
  );
}

function download(rows: Row[]) {
  const csv = Papa.unparse(rows.map((row) => flatten(row)));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  link.download = "declics.csv";
  link.click();
  URL.revokeObjectURL(link.href);
}

function ChartPanel() {
  const [result, setResult] = useState(lastResult.get());
  const [kind, setKind] = useState<"bar" | "line">("bar");
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => lastResult.subscribe(setResult), []);

  const rows = firstList((result as { data?: unknown } | null)?.data);
  const series = isSeries(rows) ? rows : null;

  // Many bars (90 EPCI) read better lying down, one line of label each.
  const horizontal = kind === "bar" && !!series && series.length > 12;

  useEffect(() => {
    if (!series || !canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels: series.map((b) => b.key),
        datasets: [
          {
            label: "Nombre",
            data: series.map((b) => b.count),
            backgroundColor: "#2e7d32",
            borderColor: "#2e7d32",
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: {
          [horizontal ? "x" : "y"]: { beginAtZero: true },
          [horizontal ? "y" : "x"]: { ticks: { autoSkip: false } },
        },
      },
    });
    return () => chart.destroy();
  }, [series, kind, horizontal]);

  return h(
    "div",
    { className: "declics-panel" },
    h("div", { className: "graphiql-doc-explorer-title" }, "Graphique"),
    !rows &&
      h(
        "p",
        null,
        "Exécutez une requête : une série { key, count } s'affiche ici en graphique, et toute liste peut être téléchargée en CSV.",
      ),
    series &&
      h(
        "div",
        { role: "group", "aria-label": "Type de graphique" },
        h(
          "button",
          { type: "button", onClick: () => setKind("bar"), "aria-pressed": kind === "bar" },
          "Barres",
        ),
        " ",
        h(
          "button",
          { type: "button", onClick: () => setKind("line"), "aria-pressed": kind === "line" },
          "Courbe",
        ),
      ),
    series &&
      h(
        "div",
        { style: { position: "relative", height: horizontal ? series.length * 16 + 40 : 300 } },
        h("canvas", { ref: canvas, "aria-label": "Graphique de la série" }),
      ),
    rows &&
      h(
        "p",
        null,
        h(
          "button",
          { type: "button", onClick: () => download(rows) },
          `Télécharger en CSV (${rows.length} lignes)`,
        ),
      ),
  );
}

export const chartPlugin: GraphiQLPlugin = {
  title: "Graphique",
  icon: ChartIcon,
  content: ChartPanel,
};
