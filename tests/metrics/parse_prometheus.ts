/**
 * A strict reader of Prometheus's text format 0.0.4, for the tests: every line must be a HELP,
 * a TYPE (before its samples) or a sample with valid names, well-escaped labels and a number.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Parsed {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function parsePrometheus(text: string): Parsed {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const out: Parsed = { types: new Map(), help: new Map(), samples: [] };
  for (const [i, line] of text.slice(0, -1).split("\n").entries()) {
    const where = `line ${i + 1}: ${line}`;
    if (line.startsWith("# HELP ")) {
      const [, name, ...rest] = line.slice(2).split(" ");
      if (!NAME.test(name)) throw new Error(`bad HELP name, ${where}`);
      out.help.set(name, rest.join(" "));
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [, name, type] = line.slice(2).split(" ");
      if (
        !NAME.test(name) || !["gauge", "counter", "histogram", "summary", "untyped"].includes(type)
      ) {
        throw new Error(`bad TYPE, ${where}`);
      }
      if (out.types.has(name)) throw new Error(`TYPE twice, ${where}`);
      out.types.set(name, type);
      continue;
    }
    if (line.startsWith("#") || line.trim() === "") throw new Error(`unexpected, ${where}`);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`bad sample, ${where}`);
    const [, name, labelText, valueText] = m;
    if (!out.types.has(name)) throw new Error(`sample before its TYPE, ${where}`);
    const value = Number(valueText);
    if (
      !/^[-+]?(\d+(\.\d+)?([eE][-+]?\d+)?|Inf|NaN)$/.test(valueText) ||
      Number.isNaN(value) && valueText !== "NaN"
    ) {
      throw new Error(`bad value, ${where}`);
    }
    out.samples.push({ name, labels: labelText ? parseLabels(labelText, where) : {}, value });
  }
  return out;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 1;
  while (i < text.length - 1) {
    const eq = text.indexOf("=", i);
    const name = text.slice(i, eq);
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || text[eq + 1] !== '"') {
      throw new Error(`bad label, ${where}`);
    }
    let j = eq + 2;
    let value = "";
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[++j];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new Error(`bad escape, ${where}`);
      } else if (text[j] === "\n") {
        throw new Error(`raw newline in a label, ${where}`);
      } else {
        value += text[j];
      }
    }
    if (name in labels) throw new Error(`label twice, ${where}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (i !== text.length - 1) throw new Error(`bad label list, ${where}`);
  }
  return labels;
}

/** The value of the one sample of `name` whose labels include `labels`. */
export function valueOf(
  p: Parsed,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = p.samples.filter((s) =>
    s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  );
  if (hits.length > 1) {
    throw new Error(`${hits.length} samples of ${name} ${JSON.stringify(labels)}`);
  }
  return hits[0]?.value;
}
