/**
 * The browser entry: hydrate every island the server rendered. Each island is a marker
 * `<div data-island="Name" data-island-id="N">` holding its server-rendered HTML, followed by
 * `<script type="application/json" data-island-props="N">` holding its props. Only the
 * chunks of the islands present on the page are fetched.
 */
import { type ComponentType, h, hydrate } from "preact";
import { islandLoaders, type IslandName } from "./registry.ts";

function isIslandName(name: string): name is IslandName {
  return Object.hasOwn(islandLoaders, name);
}

function readProps(id: string): Record<string, unknown> {
  const script = document.querySelector(`script[data-island-props="${CSS.escape(id)}"]`);
  return script?.textContent ? JSON.parse(script.textContent) : {};
}

async function boot(marker: HTMLElement): Promise<void> {
  const name = marker.dataset.island ?? "";
  if (!isIslandName(name)) throw new Error(`unknown island ${JSON.stringify(name)}`);
  const props = readProps(marker.dataset.islandId ?? "");
  const { default: Component } = await islandLoaders[name]();
  // The server wrote these props for this island from the same typed map (registry.ts).
  hydrate(h(Component as ComponentType<Record<string, unknown>>, props), marker);
  marker.setAttribute("data-hydrated", ""); // for tests and for debugging in devtools
}

for (const marker of document.querySelectorAll<HTMLElement>("[data-island]")) {
  boot(marker).catch((err) => console.error("island hydration failed:", marker, err));
}
