import fc from 'fast-check';
import { type MinuteStats, MinuteTable } from '../../../../shared/simulation/world/minute-table';

/** The definition: one map entry per minute key (SameValueZero), merged on each add. */
class MapTable {
  private readonly minutes = new Map<number, MinuteStats>();

  add(minuteMs: number, sum: number, count: number, min: number, max: number): void {
    const existing = this.minutes.get(minuteMs);
    if (existing) {
      existing.sum += sum;
      existing.count += count;
      existing.min = Math.min(existing.min, min);
      existing.max = Math.max(existing.max, max);
    } else {
      this.minutes.set(minuteMs, { sum, count, min, max });
    }
  }

  read(minuteMs: number, out: MinuteStats): boolean {
    const stats = this.minutes.get(minuteMs);
    if (!stats) return false;
    Object.assign(out, stats);
    return true;
  }
}

const MINUTE_MS = 60_000;
const CHUNK_MS = 1024 * MINUTE_MS;

/** Minute keys around chunk edges, zero, the safe-integer limit, and keys off the minute. */
const key = fc.oneof(
  fc
    .integer({ min: -3, max: 3 })
    .chain((chunk) => fc.integer({ min: -2, max: 2 }).map((minute) => chunk * CHUNK_MS + minute * MINUTE_MS)),
  fc.integer({ min: -3000, max: 3000 }).map((minute) => minute * MINUTE_MS),
  fc.integer({ min: 29_000_000, max: 29_000_050 }).map((minute) => minute * MINUTE_MS),
  fc.constantFrom(
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 53,
    2 ** 53 + 2 * MINUTE_MS,
    Math.floor(Number.MAX_SAFE_INTEGER / MINUTE_MS) * MINUTE_MS,
    1e17,
    -1e17,
    1e300,
    30_000,
    0.5,
    -59_999,
  ),
  fc.double({ noDefaultInfinity: false }),
);
const value = fc.oneof(
  fc.integer({ min: -9, max: 9 }),
  fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, 1e308),
);
const step = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    key,
    sum: value,
    count: fc.constantFrom(0, 1, 2, 0.5, Number.NaN),
    min: value,
    max: value,
  }),
  fc.record({ kind: fc.constant('read' as const), key }),
);

describe('MinuteTable', () => {
  it('keeps and merges every minute as a map of minute statistics does, for any key', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const table = new MinuteTable();
        const reference = new MapTable();
        const added: number[] = [];
        for (const s of steps) {
          if (s.kind === 'add') {
            table.add(s.key, s.sum, s.count, s.min, s.max);
            reference.add(s.key, s.sum, s.count, s.min, s.max);
            added.push(s.key);
            continue;
          }
          // Read the step's key and every key added so far (their neighbours included).
          for (const k of [s.key, ...added, ...added.map((a) => a + MINUTE_MS)]) {
            const out = { sum: -1, count: -1, min: -1, max: -1 };
            const expected = { sum: -1, count: -1, min: -1, max: -1 };
            expect(table.read(k, out)).toBe(reference.read(k, expected));
            expect(out).toEqual(expected);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps minutes a chunk apart and on either side of zero apart', () => {
    const table = new MinuteTable();
    table.add(0, 1, 1, 1, 1);
    table.add(-MINUTE_MS, 2, 1, 2, 2);
    table.add(CHUNK_MS, 3, 1, 3, 3);
    table.add(-0, 4, 1, 4, 4);
    const out = { sum: 0, count: 0, min: 0, max: 0 };
    expect(table.read(0, out)).toBe(true);
    expect(out).toEqual({ sum: 5, count: 2, min: 1, max: 4 });
    expect(table.read(-MINUTE_MS, out)).toBe(true);
    expect(out).toEqual({ sum: 2, count: 1, min: 2, max: 2 });
    expect(table.read(CHUNK_MS, out)).toBe(true);
    expect(out.sum).toBe(3);
    expect(table.read(CHUNK_MS - MINUTE_MS, out)).toBe(false);
    expect(table.read(30_000, out)).toBe(false);
  });
});
