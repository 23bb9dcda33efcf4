import { useState } from "react";
import { formatDate } from "./admin.js";
import { useAdmin } from "./use-admin.js";

interface AppDeployment {
  name: string;
  version: string;
  active: boolean;
  publishedAt: string;
  retiredAt: string | null;
  owner: string | null;
  operations: { hash: string; name: string | null; body: string }[];
}

/** The client applications deployed, each with the operations it may send. */
export function Apps() {
  const [retired, setRetired] = useState(false);
  const { data, error, loading } = useAdmin<{ appDeployments: AppDeployment[] }>(
    `query ConsoleApps($includeRetired: Boolean!) { appDeployments(includeRetired: $includeRetired) {
      name version active publishedAt retiredAt owner operations { hash name body } } }`,
    { includeRetired: retired },
  );
  const apps = data?.appDeployments ?? [];
  return (
    <>
      <label className="inline">
        <input type="checkbox" checked={retired} onChange={() => setRetired(!retired)} />
        Montrer aussi les versions retirées
      </label>
      <div aria-live="polite">
        {loading && <p>Chargement…</p>}
        {error && <p className="error">Déploiements indisponibles : {error.message}</p>}
        {data && apps.length === 0 && <p>Aucune application déployée.</p>}
      </div>
      <ul className="apps">
        {apps.map((app) => (
          <li key={`${app.name}@${app.version}`}>
            <details>
              <summary>
                <strong>{app.name}</strong> {app.version}{" "}
                <span className={`badge ${app.active ? "live" : "retired"}`}>
                  {app.active ? "active" : "retirée"}
                </span>{" "}
                {app.operations.length} opération{app.operations.length > 1 ? "s" : ""}, publiée le{" "}
                {formatDate(app.publishedAt)}
                {app.owner && `, par ${app.owner}`}
                {app.retiredAt && `, retirée le ${formatDate(app.retiredAt)}`}
              </summary>
              {app.operations.map((operation) => (
                <div key={operation.hash} className="operation">
                  <h4>
                    {operation.name ?? "Opération anonyme"}{" "}
                    <code>{operation.hash.slice(0, 12)}</code>
                  </h4>
                  <pre>{operation.body}</pre>
                </div>
              ))}
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
