/**
 * Sparklines: tiny inline SVG trends, rendered on the server, no JavaScript. A `null` (or
 * non-finite) value is a gap in the line. The stroke is `currentColor`, so a Tailwind text
 * colour class styles it.
 */
import { h, type VNode } from "preact";

export interface SparklineProps {
  values: readonly (number | null)[];
  width?: number;
  height?: number;
  /** The value range drawn; defaults to the data's min and max. */
  min?: number;
  max?: number;
  /** Accessible name; without it the sparkline is hidden from screen readers. */
  label?: string;
  class?: string;
  strokeWidth?: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The SVG path data for `values` in a `width`×`height` box (exported for tests). */
export function sparklinePath(
  values: readonly (number | null)[],
  width: number,
  height: number,
  range: { min?: number; max?: number; pad?: number } = {},
): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return "";
  const pad = range.pad ?? 1;
  const lo = range.min ?? Math.min(...finite);
  const hi = range.max ?? Math.max(...finite);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => {
    if (hi === lo) return height / 2;
    const t = (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo);
    return pad + (1 - t) * (height - 2 * pad);
  };
  let d = "";
  let penDown = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      penDown = false;
      return;
    }
    const x = values.length > 1 ? pad + i * step : width / 2;
    d += `${penDown ? "L" : "M"}${round(x)} ${round(y(v))}`;
    // A lone point between gaps: a zero-length segment, drawn as a dot by the round cap.
    const next = values[i + 1];
    if (!penDown && (next === undefined || next === null || !Number.isFinite(next))) d += "h0";
    penDown = true;
  });
  return d;
}

export function Sparkline(props: SparklineProps): VNode {
  const { width = 80, height = 20, strokeWidth = 1.5 } = props;
  const d = sparklinePath(props.values, width, height, {
    min: props.min,
    max: props.max,
    pad: strokeWidth,
  });
  return h(
    "svg",
    {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      class: props.class,
      ...(props.label ? { role: "img", "aria-label": props.label } : { "aria-hidden": "true" }),
    },
    d
      ? h("path", {
        d,
        fill: "none",
        stroke: "currentColor",
        "stroke-width": strokeWidth,
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
      })
      : null,
  );
}
