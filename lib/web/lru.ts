/**
 * A least-recently-used map bounded twice: by entries and by bytes (each value says its size).
 * A value larger than the whole byte cap is not kept.
 *
 *   const lru = createLru<Entry>({ maxEntries: 500, maxBytes: 64 << 20, size: (e) => e.bytes });
 */
export interface LruOptions<V> {
  maxEntries: number;
  maxBytes: number;
  size: (value: V) => number;
}

export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  /** Call when a kept value grew (or shrank): re-counts its bytes, evicting if need be. */
  resized(key: string): void;
  readonly entries: number;
  readonly bytes: number;
}

export function createLru<V>(opts: LruOptions<V>): Lru<V> {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  const map = new Map<string, { value: V; bytes: number }>();
  let bytes = 0;

  const remove = (key: string) => {
    const old = map.get(key);
    if (!old) return;
    bytes -= old.bytes;
    map.delete(key);
  };
  const evict = () => {
    for (const key of map.keys()) {
      if (map.size <= opts.maxEntries && bytes <= opts.maxBytes) return;
      remove(key);
    }
  };

  return {
    get(key) {
      const hit = map.get(key);
      if (!hit) return undefined;
      map.delete(key);
      map.set(key, hit);
      return hit.value;
    },
    set(key, value) {
      remove(key);
      const size = opts.size(value);
      if (size > opts.maxBytes) return;
      map.set(key, { value, bytes: size });
      bytes += size;
      evict();
    },
    resized(key) {
      const hit = map.get(key);
      if (!hit) return;
      const size = opts.size(hit.value);
      bytes += size - hit.bytes;
      hit.bytes = size;
      if (size > opts.maxBytes) remove(key);
      evict();
    },
    get entries() {
      return map.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
