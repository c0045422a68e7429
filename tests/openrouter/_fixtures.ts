/**
 * Real OpenRouter samples, copied byte-for-byte from shared/openrouter into
 * tests/fixtures/openrouter (CI clones only this repository). Provenance: SOURCES.md there.
 */
const DIR = `${import.meta.dirname}/../fixtures/openrouter`;

export function fixturePath(name: string): string {
  return `${DIR}/${name}`;
}

export function readFixture(name: string): string {
  return Deno.readTextFileSync(fixturePath(name));
}

export function readJsonFixture(name: string): unknown {
  return JSON.parse(readFixture(name));
}

export const MODEL_SNAPSHOTS = {
  "models-madviking-2025-05-23.json": { models: 321, free: 68 + 1 },
  "models-lightnesscaster-2025-12-02.json": { models: 335, free: 30 + 0 },
  "models-skissue-2026-02-27.json": { models: 344, free: 25 + 4 },
  "models-anuran-roy-2026-08-19.json": { models: 414, free: 17 + 3 },
} as const;
