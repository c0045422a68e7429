/**
 * The islands: the only components shipped to the browser. One typed list, used by both the
 * server (lib/web/islands.tsx renders them) and the browser (islands/boot.ts hydrates them).
 *
 * To add an island: write `islands/<Name>.tsx` with a default-exported component and an
 * exported props type, add it to `IslandPropsMap` and `islandLoaders` below, and to the
 * server map in lib/web/islands.tsx (the compiler flags whichever you forget).
 *
 * Props cross the network as JSON: they must be JSON-serialisable (plain objects, arrays,
 * strings, finite numbers, booleans, null). No functions, Dates, Maps, class instances,
 * undefined array items, NaN or Infinity; the server rejects them with the offending path.
 */
import type { ComponentType } from "preact";
import type { ChartProps } from "./Chart.tsx";
import type { CopyButtonProps } from "./CopyButton.tsx";
import type { LiveStatusProps } from "./LiveStatus.tsx";
import type { ModelTableProps } from "./ModelTable.tsx";
import type { ThemeToggleProps } from "./ThemeToggle.tsx";

export interface IslandPropsMap {
  Chart: ChartProps;
  CopyButton: CopyButtonProps;
  LiveStatus: LiveStatusProps;
  ModelTable: ModelTableProps;
  ThemeToggle: ThemeToggleProps;
}

export type IslandName = keyof IslandPropsMap;

type IslandLoaders = {
  [N in IslandName]: () => Promise<{ default: ComponentType<IslandPropsMap[N]> }>;
};

/** Lazy loaders: esbuild turns each `import()` into its own chunk. */
export const islandLoaders: IslandLoaders = {
  Chart: () => import("./Chart.tsx"),
  CopyButton: () => import("./CopyButton.tsx"),
  LiveStatus: () => import("./LiveStatus.tsx"),
  ModelTable: () => import("./ModelTable.tsx"),
  ThemeToggle: () => import("./ThemeToggle.tsx"),
};
