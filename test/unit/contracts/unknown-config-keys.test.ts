import * as z from 'zod';
import { InvalidConfigError } from '../../../shared/contracts/parse-config';
import { parseKnownConfig, unknownConfigKeys } from '../../../shared/contracts/unknown-config-keys';
import { userConfigSchema } from '../../../shared/contracts/user-config';

const paths = (schema: z.ZodType, input: unknown) =>
  unknownConfigKeys(schema, input).map((k) => k.path.join('.'));

describe('unknownConfigKeys', () => {
  it('finds keys no object declares, through defaults, optionals, records and arrays', () => {
    const schema = z.object({
      a: z.object({ b: z.number() }).default({ b: 1 }),
      c: z.record(z.string(), z.object({ d: z.number().optional() })).optional(),
      e: z.array(z.object({ f: z.string() })),
    });
    expect(
      paths(schema, { a: { b: 1, bb: 2 }, c: { x: { d: 1, dd: 2 } }, e: [{ f: 'f', g: 1 }], h: 0 }),
    ).toEqual(['a.bb', 'c.x.dd', 'e.0.g', 'h']);
  });

  it('judges a union by the option the value satisfies, and accepts any key of a loose object', () => {
    const metric = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('cpu') }),
      z.object({ kind: z.literal('custom'), namespace: z.string() }),
    ]);
    expect(paths(metric, { kind: 'cpu', namespace: 'N' })).toEqual(['namespace']);
    expect(paths(metric, { kind: 'custom', namespace: 'N' })).toEqual([]);
    expect(paths(z.object({ a: z.number() }).loose(), { a: 1, b: 2 })).toEqual([]);
  });

  it('finds none in a configuration written with every documented setting', () => {
    const full = userConfigSchema.parse({ groups: { tag: { key: 'k', value: 'v' } } });
    expect(paths(userConfigSchema, JSON.parse(JSON.stringify(full)))).toEqual([]);
  });
});

describe('parseKnownConfig', () => {
  it('lists bad values and unknown keys in one error, and returns the parsed value otherwise', () => {
    const schema = z.object({ rate: z.number().min(1) });
    expect(() => parseKnownConfig(schema, { rate: 0, rat: 1 }, 'cfg')).toThrow(InvalidConfigError);
    try {
      parseKnownConfig(schema, { rate: 0, rat: 1 }, 'cfg');
    } catch (error) {
      expect((error as InvalidConfigError).problems.map((p) => p.path)).toEqual(['rate', 'rat']);
    }
    expect(parseKnownConfig(schema, { rate: 2 }, 'cfg')).toEqual({ rate: 2 });
  });
});
