/**
 * Server side of the islands: `<Island name="…" props={…} />` renders an island's HTML on the
 * server and leaves what islands/boot.ts needs to hydrate it in the browser:
 *
 *   <div data-island="ThemeToggle" data-island-id="0">…server HTML…</div>
 *   <script type="application/json" data-island-props="0">{"class":"ml-2"}</script>
 *
 * The props are JSON with `<`, `>`, `&`, U+2028 and U+2029 written as \uXXXX escapes, so no
 * string in them (model names come from an untrusted API) can close the script element. The
 * marker gets `display: contents` from static/styles.css (not an inline style: CSP).
 *
 * Each island is rendered in its own renderToString call: it sees exactly what it will see
 * in the browser (no context from the page around it), and islands cannot nest.
 */
import { type ComponentType, h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import Chart, { type ChartProps } from "../../islands/Chart.tsx";
import CopyButton from "../../islands/CopyButton.tsx";
import LiveStatus from "../../islands/LiveStatus.tsx";
import ModelTable from "../../islands/ModelTable.tsx";
import ThemeToggle from "../../islands/ThemeToggle.tsx";
import type { IslandName, IslandPropsMap } from "../../islands/registry.ts";
import { renderChartSvg } from "./charts.ts";

export type { IslandName, IslandPropsMap };

/** How each island renders on the server. Usually the island itself. */
const SERVER_ISLANDS: { [N in IslandName]: ComponentType<IslandPropsMap[N]> } = {
  // The chart's server HTML is the SVG ECharts renders here, kept out of the props.
  Chart: (props: ChartProps) => <Chart {...props} ssrSvg={renderChartSvg(props.option, props)} />,
  CopyButton,
  LiveStatus,
  ModelTable,
  ThemeToggle,
};

interface Collector {
  used: Set<IslandName>;
  nextId: number;
}

let collector: Collector | null = null;
let insideIsland = false;
let fallbackId = 0; // ids for islands rendered outside collectIslands (component tests)

/**
 * Run a synchronous render and report which islands it used (renderPage uses this to decide
 * whether the page needs the boot script). preact-render-to-string is synchronous, so one
 * module-level collector is enough.
 */
export function collectIslands<T>(render: () => T): { value: T; used: ReadonlySet<IslandName> } {
  const outer = collector;
  const mine: Collector = { used: new Set(), nextId: 0 };
  collector = mine;
  try {
    return { value: render(), used: mine.used };
  } finally {
    collector = outer;
  }
}

export interface IslandAttrs<N extends IslandName> {
  name: N;
  props: IslandPropsMap[N];
}

export function Island<N extends IslandName>({ name, props }: IslandAttrs<N>): VNode {
  if (insideIsland) {
    throw new Error(`island ${name} is rendered inside another island: islands cannot nest`);
  }
  const json = islandPropsJson(name, props);
  const component = SERVER_ISLANDS[name] as ComponentType<IslandPropsMap[N]>;
  insideIsland = true;
  let html: string;
  try {
    html = renderToString(h(component, props));
  } finally {
    insideIsland = false;
  }
  const id = String(collector ? collector.nextId++ : fallbackId++);
  collector?.used.add(name);
  return (
    <>
      <div data-island={name} data-island-id={id} dangerouslySetInnerHTML={{ __html: html }} />
      <script
        type="application/json"
        data-island-props={id}
        dangerouslySetInnerHTML={{ __html: json }}
      />
    </>
  );
}

const UNSAFE_IN_SCRIPT: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** JSON that is safe inside a <script> element; JSON.parse gives back the same value. */
export function escapeJsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => UNSAFE_IN_SCRIPT[c]);
}

/** The island's props as script-safe JSON; throws if they would not survive JSON. */
export function islandPropsJson(name: string, props: unknown): string {
  assertJson(props, `island ${name} props`);
  return escapeJsonForScript(JSON.stringify(props));
}

function assertJson(value: unknown, path: string): void {
  const fail = (what: string): never => {
    throw new TypeError(`${path} is ${what}: island props must be JSON-serialisable`);
  };
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) fail(String(value));
      return;
    case "object": {
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item === undefined) fail(`undefined at [${i}] (JSON turns it into null)`);
          assertJson(item, `${path}[${i}]`);
        });
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        fail(`a ${proto?.constructor?.name ?? "non-plain"} object`);
      }
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) assertJson(item, `${path}.${key}`); // dropped, as in JSON
      }
      return;
    }
    default:
      fail(`a ${typeof value}`);
  }
}
