/**
 * A data version read at most once per interval, shared: every request in that interval gets
 * the same answer, and requests arriving while a read is in flight wait for that one read.
 * So a write by any process shows within about one interval, at one cheap query per interval.
 *
 *   const version = everyInterval(() => readDataVersion(client), Date.now, 1000);
 *   await version(); // "1234.56"
 */
export function everyInterval(
  read: () => Promise<string>,
  clock: () => number,
  intervalMs = 1000,
): () => Promise<string> {
  let last: { value: string; at: number } | null = null;
  let inFlight: Promise<string> | null = null;
  return () => {
    const now = clock();
    if (last && Math.abs(now - last.at) < intervalMs) return Promise.resolve(last.value);
    if (inFlight) return inFlight;
    const reading = read().then((value) => {
      last = { value, at: now };
      return value;
    }).finally(() => {
      inFlight = null;
    });
    inFlight = reading;
    return reading;
  };
}
