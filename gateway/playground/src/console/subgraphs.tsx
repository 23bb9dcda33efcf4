import { useEffect, useRef, useState } from "react";
import { type AdminError, admin, formatDate } from "./admin.js";
import {
  CHANGE_FIELDS,
  CHECK_FIELDS,
  ChangeList,
  CheckResult,
  type SchemaChange,
  type SubgraphCheck,
} from "./changes.js";
import { lineDiff } from "./line-diff.js";
import { useAdmin } from "./use-admin.js";
import { editable, type Subgraph, type Viewer } from "./viewer.js";

export const SUBGRAPHS = `query ConsoleSubgraphs { subgraphs(includeHub: true) {
  name owner status routingUrl version publishedBy publishedAt health breaker timeoutMs builtIn } }`;

const HEALTH = { HEALTHY: "répond", UNHEALTHY: "ne répond pas" } as const;
const BREAKER = { CLOSED: "fermé", OPEN: "ouvert", HALF_OPEN: "semi-ouvert" } as const;

interface Version {
  version: number;
  routingUrl: string;
  sdl: string;
  publisher: string | null;
  publishedAt: string;
  live: boolean;
}

interface ChangelogEntry {
  revision: number;
  subgraph: string;
  version: number | null;
  changes: SchemaChange[];
}

/** The subgraphs, the hub's first: URL, live version, health, breaker and timeout of each. */
export function Subgraphs({
  viewer,
  subgraphs,
  reload,
}: {
  viewer: Viewer;
  subgraphs: Subgraph[];
  reload(): void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const chosen = subgraphs.find((subgraph) => subgraph.name === open) ?? null;
  return (
    <>
      <div className="scroll">
        <table className="subgraphs">
          <caption>
            {viewer.role === "admin"
              ? "Les sous-graphes du hub et des partenaires"
              : `Les sous-graphes du hub et ceux de ${viewer.partner}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Propriétaire</th>
              <th scope="col">URL</th>
              <th scope="col">Version en service</th>
              <th scope="col">Santé</th>
              <th scope="col">Disjoncteur</th>
              <th scope="col">Délai</th>
              <th scope="col">Droits</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {subgraphs.map((subgraph) => (
              <tr key={subgraph.name} data-subgraph={subgraph.name}>
                <th scope="row">{subgraph.name}</th>
                <td data-label="Propriétaire">
                  {subgraph.builtIn ? "hub" : (subgraph.owner ?? "administration")}
                </td>
                <td className="url" data-label="URL">
                  {subgraph.routingUrl ?? "—"}
                </td>
                <td data-label="Version en service">
                  {subgraph.builtIn
                    ? "intégré"
                    : subgraph.version === null
                      ? "retiré"
                      : `v${subgraph.version}`}
                </td>
                <td data-label="Santé">
                  <span className={`badge health-${(subgraph.health ?? "none").toLowerCase()}`}>
                    {subgraph.health ? HEALTH[subgraph.health] : "retiré"}
                  </span>
                </td>
                <td data-label="Disjoncteur">
                  <span className={`badge breaker-${subgraph.breaker.toLowerCase()}`}>
                    {BREAKER[subgraph.breaker]}
                  </span>
                </td>
                <td data-label="Délai">{subgraph.timeoutMs} ms</td>
                <td data-label="Droits">
                  {editable(subgraph, viewer) ? "modifiable" : "lecture seule"}
                </td>
                <td>
                  {!subgraph.builtIn && (
                    <button
                      type="button"
                      aria-expanded={open === subgraph.name}
                      aria-controls="versions"
                      onClick={() => setOpen(open === subgraph.name ? null : subgraph.name)}
                    >
                      Versions<span className="visually-hidden"> de {subgraph.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div id="versions">
        {chosen && (
          <Versions
            key={chosen.name}
            subgraph={chosen}
            canEdit={editable(chosen, viewer)}
            onChange={reload}
          />
        )}
      </div>
    </>
  );
}

/** A subgraph's versions, newest first, each with its diff against the one before. */
function Versions({
  subgraph,
  canEdit,
  onChange,
}: {
  subgraph: Subgraph;
  canEdit: boolean;
  onChange(): void;
}) {
  const versions = useAdmin<{ subgraphVersions: Version[] }>(
    `query ConsoleVersions($name: String!) { subgraphVersions(name: $name) {
      version routingUrl sdl publisher publishedAt live } }`,
    { name: subgraph.name },
  );
  // The changes each version brought, as the registry classified them when it went live.
  const changelog = useAdmin<{ schemaChangelog: ChangelogEntry[] }>(
    `query ConsoleVersionChanges { schemaChangelog(last: 100) {
      revision subgraph version changes { ${CHANGE_FIELDS} } } }`,
  );
  const [shown, setShown] = useState<number | null>(null);
  const [rollbackTo, setRollbackTo] = useState<Version | null>(null);
  const [status, setStatus] = useState("");
  const statusLine = useRef<HTMLParagraphElement>(null);
  // After a rollback the button that asked for it is gone: focus goes to what happened.
  useEffect(() => {
    if (status) statusLine.current?.focus();
  }, [status]);
  const list = versions.data?.subgraphVersions ?? [];

  return (
    <section aria-labelledby="versions-title" className="panel">
      <h3 id="versions-title">Versions de {subgraph.name}</h3>
      <p role="status" tabIndex={-1} ref={statusLine}>
        {status}
      </p>
      {versions.error && <p className="error">{versions.error.message}</p>}
      <ol className="versions">
        {list.map((version, index) => {
          const previous = list[index + 1] ?? null;
          const { live } = version;
          return (
            <li key={version.version}>
              <div className="version-line">
                <strong>v{version.version}</strong>
                {live && <span className="badge live">en service</span>}
                <span>
                  {formatDate(version.publishedAt)}, par {version.publisher ?? "inconnu"}
                </span>
                <button
                  type="button"
                  aria-expanded={shown === version.version}
                  onClick={() => setShown(shown === version.version ? null : version.version)}
                >
                  Changements de la v{version.version}
                </button>
                {canEdit && !live && (
                  <button type="button" onClick={() => setRollbackTo(version)}>
                    Revenir à la v{version.version}
                  </button>
                )}
              </div>
              {shown === version.version && (
                <VersionDiff
                  version={version}
                  previous={previous}
                  changes={
                    changelog.data?.schemaChangelog
                      .filter(
                        (entry) =>
                          entry.subgraph === subgraph.name && entry.version === version.version,
                      )
                      .at(-1)?.changes ?? null
                  }
                  changesError={changelog.error}
                />
              )}
            </li>
          );
        })}
      </ol>
      {rollbackTo && (
        <RollbackDialog
          subgraph={subgraph.name}
          version={rollbackTo}
          onClose={(done) => {
            setRollbackTo(null);
            if (done) {
              setStatus(done);
              versions.reload();
              onChange();
            }
          }}
        />
      )}
    </section>
  );
}

function VersionDiff({
  version,
  previous,
  changes,
  changesError,
}: {
  version: Version;
  previous: Version | null;
  changes: SchemaChange[] | null;
  changesError: AdminError | null;
}) {
  const lines = lineDiff(previous?.sdl ?? "", version.sdl);
  return (
    <div className="diff">
      {changes ? (
        <ChangeList changes={changes} />
      ) : (
        <p>
          {changesError
            ? `Changements classés indisponibles : ${changesError.message}`
            : "Pas de changements classés pour cette version."}
        </p>
      )}
      {previous && previous.routingUrl !== version.routingUrl && (
        <p>
          URL : <code>{previous.routingUrl}</code> → <code>{version.routingUrl}</code>
        </p>
      )}
      <h4>SDL {previous ? `de la v${previous.version} à la v${version.version}` : "de la v1"}</h4>
      <pre className="sdl-diff">
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text.
          <span key={index} className={`line-${line.kind}`}>
            {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
            {line.text}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}

/** Asks for confirmation after showing what the registry's checks say of that version now. */
function RollbackDialog({
  subgraph,
  version,
  onClose,
}: {
  subgraph: string;
  version: Version;
  onClose(done: string | null): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [check, setCheck] = useState<SubgraphCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Back to the button that opened it when it closes, as long as that button is still there.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  useEffect(() => {
    dialog.current?.showModal();
    admin<{ checkSubgraph: SubgraphCheck }>(
      `query ConsoleRollbackCheck($name: String!, $url: String, $sdl: String) {
        checkSubgraph(name: $name, url: $url, sdl: $sdl) { ${CHECK_FIELDS} } }`,
      { name: subgraph, url: version.routingUrl, sdl: version.sdl },
    )
      .then((data) => setCheck(data.checkSubgraph))
      .catch((caught: AdminError) => setError(`Vérification impossible : ${caught.message}`));
  }, [subgraph, version]);

  async function confirm() {
    setBusy(true);
    try {
      const { rollbackSubgraph } = await admin<{
        rollbackSubgraph: { version: number; revision: number };
      }>(
        `mutation ConsoleRollback($name: String!, $version: Int!) {
          rollbackSubgraph(name: $name, version: $version) { version revision } }`,
        { name: subgraph, version: version.version },
      );
      onClose(
        `La v${rollbackSubgraph.version} de ${subgraph} est en service (supergraphe n° ${rollbackSubgraph.revision}).`,
      );
    } catch (caught) {
      setError(`Retour refusé : ${(caught as AdminError).message}`);
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="rollback-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose(null);
      }}
    >
      <h3 id="rollback-title">
        Revenir à la v{version.version} de {subgraph} ?
      </h3>
      {!check && !error && <p role="status">Vérification de la v{version.version}…</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {check && <CheckResult check={check} />}
      <div className="buttons">
        <button type="button" onClick={() => onClose(null)}>
          Annuler
        </button>
        <button
          type="button"
          className="primary"
          // Refused by the check: the rollback would be too. Not checked: the rollback checks anyway.
          disabled={busy || (!check && !error) || check?.accepted === false}
          onClick={confirm}
        >
          Confirmer le retour à la v{version.version}
        </button>
      </div>
    </dialog>
  );
}
