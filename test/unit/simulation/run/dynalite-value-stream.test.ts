import fc from 'fast-check';
import {
  type DynaliteLevelDb,
  streamValuesWithoutRequire,
} from '../../../../shared/simulation/run/dynalite-value-stream';

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

describe('streamValuesWithoutRequire', () => {
  it('streams what dynalite streams for any range, order, limit and early stop', async () => {
    const keys = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 12 });
    const bound = fc.option(fc.string({ maxLength: 3 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.record({ gte: bound, lt: bound, reverse: fc.boolean(), limit: fc.integer({ min: -1, max: 5 }) }),
        fc.integer({ min: 1, max: 14 }),
        async (names, range, take) => {
          const options = Object.fromEntries(Object.entries(range).filter(([, v]) => v !== undefined));
          const original = create({});
          const replaced = create({});
          streamValuesWithoutRequire(replaced.db);
          for (const [i, name] of names.entries()) {
            await original.db.put(name, { i, name });
            await replaced.db.put(name, { i, name });
          }
          const want = await drain(original.db.createValueStream(options) as never, take);
          const got = await drain(replaced.db.createValueStream(options) as never, take);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ends with the error of a failing read, as dynalite does', async () => {
    const replaced = create({});
    streamValuesWithoutRequire(replaced.db);
    replaced.db.values = () => ({ next: () => Promise.reject(new Error('read failed')) });
    const got = await drain(replaced.db.createValueStream() as never, 5);
    expect(got).toEqual({ values: [], error: 'read failed' });
  });
});
