/**
 * A chart: server-rendered as SVG (readable without JavaScript), then, once hydrated, swapped
 * for an interactive ECharts instance (tooltips, zoom) drawn from the same option.
 *
 * Usage (server): `<Island name="Chart" props={{ option, width: 640, height: 240, label }} />`.
 * The option must be plain JSON (see ChartOption).
 */
import { useEffect, useRef } from "preact/hooks";
import type { ChartOption } from "./chart_setup.ts";

export interface ChartProps {
  option: ChartOption;
  /**
   * The chart's size in px: the server renders its SVG at this size, and the interactive
   * chart takes the same box. In a narrower container both shrink, keeping the aspect ratio.
   */
  width: number;
  height: number;
  /** Accessible name, e.g. "Latency of model X over 24 hours". */
  label: string;
}

/** `ssrSvg` is filled in by the server (lib/web/islands.tsx) and never sent as a prop. */
export default function Chart(props: ChartProps & { ssrSvg?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const { option, width, height } = props;

  useEffect(() => {
    let cleanup: (() => void) | undefined;
    let cancelled = false;
    import("./chart_mount.ts").then(({ mountChart }) => {
      if (!cancelled && host.current) cleanup = mountChart(host.current, option, { width, height });
    }).catch((err) => console.error("chart failed to load:", err));
    return () => {
      cancelled = true;
      cleanup?.();
    };
  }, [option, width, height]);

  // Hydration leaves dangerouslySetInnerHTML content alone, so the SSR SVG stays on screen
  // until mountChart replaces it; afterwards ECharts owns the div's children.
  return (
    <div
      ref={host}
      class="scouter-chart"
      role="img"
      aria-label={props.label}
      dangerouslySetInnerHTML={{ __html: props.ssrSvg ?? "" }}
    />
  );
}
