import { createElement as h } from "react";

/** Line icons drawn like GraphiQL's own (stroke in the current colour), not emoji a system may lack. */
const icon =
  (...shapes: ReturnType<typeof h>[]) =>
  () =>
    h(
      "svg",
      {
        viewBox: "0 0 24 24",
        width: 20,
        height: 20,
        fill: "none",
        stroke: "currentColor",
        strokeWidth: 1.5,
        strokeLinecap: "round",
        "aria-hidden": true,
      },
      ...shapes,
    );

export const ChartIcon = icon(
  h("path", { key: "axes", d: "M3 3v18h18" }),
  h("path", { key: "bars", d: "M8 17v-5M13 17V7M18 17v-8" }),
);

export const KeyIcon = icon(
  h("circle", { key: "bow", cx: 8, cy: 15, r: 4 }),
  h("path", { key: "blade", d: "M11 12l9-9M17 6l3 3M15 8l2 2" }),
);
