import fc from 'fast-check';
import {
  closeDynaliteStreams,
  type DynaliteLevelDb,
} from '../../../../shared/simulation/run/dynalite-level-streams';

interface Store {
  db: DynaliteLevelDb & { put(key: string, value: unknown): Promise<void> };
}
const { create } = require('dynalite/db') as { create(options: object): Store };

/** Every value a stream gives, in order, or the error it ends with; `take` values then destroyed. */
async function drain(stream: NodeJS.ReadableStream & { destroy(): void }, take: number) {
  const values: unknown[] = [];
  try {
    for await (const value of stream) {
      values.push(value);
      if (values.length === take) break;
    }
  } catch (error) {
    return { values, error: (error as Error).message };
  }
  return { values };
}

/** A store whose iterators count their `close()` calls. */
async function countingStore(names: readonly string[]) {
  const store = create({});
  closeDynaliteStreams(store.db);
  for (const [i, name] of names.entries()) await store.db.put(name, { i, name });
  const opened: { closed: number }[] = [];
  for (const kind of ['values', 'keys'] as const) {
    const open = store.db[kind].bind(store.db);
    store.db[kind] = (options?: object) => {
      const iterator = open(options);
      const count = { closed: 0 };
      opened.push(count);
      const close = iterator.close?.bind(iterator);
      iterator.close = () => {
        count.closed += 1;
        return close ? close() : Promise.resolve();
      };
      return iterator;
    };
  }
  return { store, opened };
}

/** Lets the streams' destroy callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('closeDynaliteStreams', () => {
  it('streams what dynalite streams, values and keys, for any range, order, limit and early stop', async () => {
    const keys = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 12 });
    const bound = fc.option(fc.string({ maxLength: 3 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.record({ gte: bound, lt: bound, reverse: fc.boolean(), limit: fc.integer({ min: -1, max: 5 }) }),
        fc.integer({ min: 1, max: 14 }),
        fc.constantFrom('createValueStream' as const, 'createKeyStream' as const),
        async (names, range, take, stream) => {
          const options = Object.fromEntries(Object.entries(range).filter(([, v]) => v !== undefined));
          const original = create({});
          const replaced = create({});
          closeDynaliteStreams(replaced.db);
          for (const [i, name] of names.entries()) {
            await original.db.put(name, { i, name });
            await replaced.db.put(name, { i, name });
          }
          const want = await drain(original.db[stream](options) as never, take);
          const got = await drain(replaced.db[stream](options) as never, take);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('closes each iterator once, whether its stream is read to the end or stopped early', async () => {
    const { store, opened } = await countingStore(['a', 'b', 'c', 'd']);
    expect(await drain(store.db.createValueStream() as never, 99)).toEqual({
      values: ['a', 'b', 'c', 'd'].map((name, i) => ({ i, name })),
    });
    expect(await drain(store.db.createValueStream({ gte: 'b' }) as never, 1)).toEqual({
      values: [{ i: 1, name: 'b' }],
    });
    expect(await drain(store.db.createKeyStream() as never, 99)).toEqual({ values: ['a', 'b', 'c', 'd'] });
    await settle();
    expect(opened.map((o) => o.closed)).toEqual([1, 1, 1]);
  });

  it('ends with the error of a failing read, as dynalite does, and closes the iterator', async () => {
    const replaced = create({});
    closeDynaliteStreams(replaced.db);
    let closed = 0;
    replaced.db.values = () => ({
      next: () => Promise.reject(new Error('read failed')),
      close: async () => {
        closed += 1;
      },
    });
    const got = await drain(replaced.db.createValueStream() as never, 5);
    expect(got).toEqual({ values: [], error: 'read failed' });
    await settle();
    expect(closed).toBe(1);
  });
});
