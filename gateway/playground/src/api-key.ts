import type { GraphiQLPlugin } from "@graphiql/react";
import { createElement as h, useState } from "react";
import { KeyIcon } from "./icons.js";

/** The key stays in this browser (localStorage); it is sent only to this hub. */
const STORAGE_KEY = "declics-hub:api-key";

/** The registry console beside the playground, whether at /, /playground or behind a path prefix. */
export const consoleUrl = `${window.location.pathname.replace(/playground\/?$/, "").replace(/\/?$/, "/")}console`;

export const apiKey = {
  get: (): string => localStorage.getItem(STORAGE_KEY) ?? "",
  set: (value: string) =>
    value ? localStorage.setItem(STORAGE_KEY, value) : localStorage.removeItem(STORAGE_KEY),
};

function ApiKeyPanel() {
  const [value, setValue] = useState(apiKey.get());
  return h(
    "div",
    { className: "declics-panel" },
    h("div", { className: "graphiql-doc-explorer-title" }, "Clé d'API"),
    h(
      "p",
      null,
      "Sans clé, vous lisez les données publiques. Une clé (analyste, collectivité…) est gardée dans ce navigateur seulement.",
    ),
    h(
      "p",
      null,
      "Une clé de partenaire ou d'administration ouvre aussi la ",
      h("a", { href: consoleUrl }, "console du registre"),
      ".",
    ),
    h("input", {
      "aria-label": "Clé d'API",
      type: "password",
      value,
      placeholder: "hub_…",
      style: { width: "100%" },
      onChange: (event: { target: { value: string } }) => {
        setValue(event.target.value);
        apiKey.set(event.target.value.trim());
      },
    }),
  );
}

export const apiKeyPlugin: GraphiQLPlugin = {
  title: "Clé d'API",
  icon: KeyIcon,
  content: ApiKeyPanel,
};
