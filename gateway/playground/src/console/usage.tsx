import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useAdmin } from "./use-admin.js";

Chart.register(
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

interface FieldUsage {
  coordinate: string;
  total: number;
  clients: { clientName: string | null; clientVersion: string | null; count: number }[];
  operations: { hash: string; name: string | null; clientName: string | null; count: number }[];
  daily: { day: string; clientName: string | null; count: number }[];
}

// Dark enough for 3:1 against white (WCAG's non-text contrast), told apart by hue.
const COLOURS = ["#1b5e20", "#0d47a1", "#b71c1c", "#6a1b9a", "#e65100", "#006064", "#4e342e"];
const client = (name: string | null) => name ?? "client inconnu";

/** Every day from `days - 1` days ago to today, YYYY-MM-DD (UTC, as the registry counts). */
function period(days: number): string[] {
  const today = Date.UTC(
    new Date().getUTCFullYear(),
    new Date().getUTCMonth(),
    new Date().getUTCDate(),
  );
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

function UsageChart({ usage, days }: { usage: FieldUsage; days: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const labels = period(days);
    const names = [...new Set(usage.daily.map((row) => client(row.clientName)))].sort();
    const chart = new Chart(canvas.current, {
      type: "line",
      data: {
        labels,
        datasets: names.map((name, index) => ({
          label: name,
          data: labels.map((day) =>
            usage.daily
              .filter((row) => row.day === day && client(row.clientName) === name)
              .reduce((sum, row) => sum + row.count, 0),
          ),
          borderColor: COLOURS[index % COLOURS.length],
          backgroundColor: COLOURS[index % COLOURS.length],
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [usage, days]);
  return (
    <div className="chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Utilisation de ${usage.coordinate} par client et par jour`}
      />
    </div>
  );
}

/** For a type or a field: who used it, day by day, and through which operations. */
export function Usage({ subgraphs }: { subgraphs: string[] }) {
  const [coordinate, setCoordinate] = useState("");
  const [days, setDays] = useState(30);
  const [asked, setAsked] = useState<{ coordinate: string; days: number } | null>(null);
  const usage = useAdmin<{ fieldUsage: FieldUsage }>(
    asked &&
      `query ConsoleUsage($coordinate: String!, $days: Int!) { fieldUsage(coordinate: $coordinate, days: $days) {
        coordinate total clients { clientName clientVersion count }
        operations { hash name clientName count } daily { day clientName count } } }`,
    asked ?? {},
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setAsked({ coordinate: coordinate.trim(), days });
    // The same question again asks the registry again: usage keeps coming.
    usage.reload();
  }

  const data = usage.data?.fieldUsage;
  return (
    <>
      <form onSubmit={submit} className="row-form">
        <label>
          Type ou champ
          <input
            required
            placeholder="Territory.carpoolOffers"
            value={coordinate}
            onChange={(event) => setCoordinate(event.target.value)}
          />
        </label>
        <label>
          Période
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            <option value={7}>7 jours</option>
            <option value={30}>30 jours</option>
            <option value={90}>90 jours</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Afficher l'utilisation
        </button>
      </form>
      <div aria-live="polite">
        {usage.loading && asked && <p>Chargement…</p>}
        {usage.error && <p className="error">Utilisation indisponible : {usage.error.message}</p>}
        {data && asked && (
          <div className="usage">
            <p>
              <code>{data.coordinate}</code> : {data.total} utilisation{data.total > 1 ? "s" : ""}{" "}
              en {asked.days} jours.
            </p>
            {data.total > 0 && <UsageChart usage={data} days={asked.days} />}
            <div className="two-columns">
              <div className="scroll">
                <table>
                  <caption>Par client</caption>
                  <thead>
                    <tr>
                      <th scope="col">Client</th>
                      <th scope="col">Version</th>
                      <th scope="col">Utilisations</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.clients.map((row) => (
                      <tr key={`${row.clientName}@${row.clientVersion}`}>
                        <td>{client(row.clientName)}</td>
                        <td>{row.clientVersion ?? "—"}</td>
                        <td className="number">{row.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="scroll">
                <table>
                  <caption>Par opération</caption>
                  <thead>
                    <tr>
                      <th scope="col">Opération</th>
                      <th scope="col">Client</th>
                      <th scope="col">Utilisations</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.operations.map((row) => (
                      <tr key={`${row.hash}@${row.clientName}`}>
                        <td>{row.name ?? <code>{row.hash.slice(0, 12)}</code>}</td>
                        <td>{client(row.clientName)}</td>
                        <td className="number">{row.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        )}
      </div>
      <UnusedFields subgraphs={subgraphs} days={days} />
    </>
  );
}

function UnusedFields({ subgraphs, days }: { subgraphs: string[]; days: number }) {
  const [subgraph, setSubgraph] = useState("");
  const unused = useAdmin<{ unusedFields: string[] }>(
    subgraph
      ? `query ConsoleUnused($subgraph: String!, $days: Int!) { unusedFields(subgraph: $subgraph, days: $days) }`
      : null,
    { subgraph, days },
  );
  return (
    <div className="unused">
      <h3 id="unused-title">Champs qu'aucun client n'a utilisés</h3>
      <label>
        Sous-graphe
        <select value={subgraph} onChange={(event) => setSubgraph(event.target.value)}>
          <option value="">— choisir —</option>
          {subgraphs.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <div aria-live="polite">
        {subgraph && unused.loading && <p>Chargement…</p>}
        {unused.error && <p className="error">Indisponible : {unused.error.message}</p>}
        {subgraph && unused.data && (
          <>
            <p>
              {unused.data.unusedFields.length === 0
                ? `Tous les champs de ${subgraph} ont servi en ${days} jours.`
                : `${unused.data.unusedFields.length} champ(s) de ${subgraph} sans utilisation en ${days} jours :`}
            </p>
            <ul className="columns" aria-labelledby="unused-title">
              {unused.data.unusedFields.map((coordinate) => (
                <li key={coordinate}>
                  <code>{coordinate}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
