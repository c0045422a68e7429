/** A small colour square (an SVG: colours from data need no inline style, so no CSP issue). */
export function Swatch(
  { color, shape = "square" }: { color: string; shape?: "square" | "triangle" },
) {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" class="shrink-0">
      {shape === "triangle"
        ? <path d="M5 0L10 10H0z" fill={color} />
        : <rect width="10" height="10" rx="2" fill={color} />}
    </svg>
  );
}
