/** The fields of a SchemaChange the console shows. */
export const CHANGE_FIELDS = "criticality type message path";

export interface SchemaChange {
  criticality: string;
  type: string;
  message: string;
  path: string | null;
}

const GROUPS = [
  { title: "Ajouts", test: (type: string) => type.endsWith("_ADDED") },
  { title: "Retraits", test: (type: string) => type.endsWith("_REMOVED") },
  { title: "Modifications", test: (type: string) => !/_(ADDED|REMOVED)$/.test(type) },
];

const CRITICALITY: Record<string, string> = {
  BREAKING: "cassant",
  DANGEROUS: "risqué",
  SAFE: "sans risque",
};

/** Changes grouped into added, removed and changed; a breaking one is red and says so in words. */
export function ChangeList({ changes }: { changes: SchemaChange[] }) {
  if (changes.length === 0) return <p>Aucun changement visible des clients.</p>;
  return (
    <div className="changes">
      {GROUPS.map(({ title, test }) => {
        const some = changes.filter((change) => test(change.type));
        if (some.length === 0) return null;
        return (
          <div key={title}>
            <h4>
              {title} ({some.length})
            </h4>
            <ul>
              {some.map((change, index) => (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: a change has no identity of its own.
                  key={index}
                  className={`change change-${change.criticality.toLowerCase()}`}
                >
                  <span className="tag">
                    {CRITICALITY[change.criticality] ?? change.criticality}
                  </span>{" "}
                  {change.path && <code>{change.path}</code>} {change.message}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

export const CHECK_FIELDS = `accepted code message compositionErrors { message }
  changes { ${CHANGE_FIELDS} }
  affectedOperations { hash name clientName clientVersion coordinates }`;

export interface SubgraphCheck {
  accepted: boolean;
  code: string | null;
  message: string | null;
  compositionErrors: { message: string }[];
  changes: SchemaChange[];
  affectedOperations: {
    hash: string;
    name: string | null;
    clientName: string | null;
    clientVersion: string | null;
    coordinates: string[];
  }[];
}

/** What a publication would do: accepted, or refused with the code it would be refused with. */
export function CheckResult({ check }: { check: SubgraphCheck }) {
  return (
    <div className={`check-result ${check.accepted ? "accepted" : "refused"}`}>
      <p className="verdict">
        <strong>{check.accepted ? "Acceptée" : "Refusée"}</strong>
        {check.code && (
          <>
            {" "}
            — <code>{check.code}</code>
          </>
        )}
        {check.message && <> : {check.message}</>}
      </p>
      {check.compositionErrors.length > 0 && (
        <>
          <h4>Erreurs de composition</h4>
          <ul>
            {check.compositionErrors.map((error) => (
              <li key={error.message}>{error.message}</li>
            ))}
          </ul>
        </>
      )}
      <ChangeList changes={check.changes} />
      {check.affectedOperations.length > 0 && (
        <div className="scroll">
          <table>
            <caption>Opérations des clients touchées</caption>
            <thead>
              <tr>
                <th scope="col">Opération</th>
                <th scope="col">Client</th>
                <th scope="col">Champs touchés</th>
              </tr>
            </thead>
            <tbody>
              {check.affectedOperations.map((operation) => (
                <tr key={`${operation.hash} ${operation.clientName} ${operation.clientVersion}`}>
                  <td>
                    {operation.name ?? <em>anonyme</em>} <code>{operation.hash.slice(0, 12)}</code>
                  </td>
                  <td>
                    {operation.clientName ?? "inconnu"}
                    {operation.clientVersion && ` ${operation.clientVersion}`}
                  </td>
                  <td>
                    {operation.coordinates.map((coordinate) => (
                      <code key={coordinate}>{coordinate} </code>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
