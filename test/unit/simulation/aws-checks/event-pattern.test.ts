import fc from 'fast-check';
import {
  matchesEventPattern,
  UnsupportedEventPatternError,
} from '../../../../shared/simulation/aws-checks/event-pattern';

const event = {
  source: 'prescale',
  'detail-type': 'Campaign Scheduled',
  resources: ['arn:a', 'arn:b'],
  detail: { groups: { names: ['web'] }, kind: 'sale', count: 3, dry: false, none: null },
};

describe('matchesEventPattern', () => {
  it('matches when every field of the pattern lists the event’s value', () => {
    expect(
      matchesEventPattern({ source: ['prescale'], 'detail-type': ['Campaign Scheduled', 'X'] }, event),
    ).toBe(true);
    expect(matchesEventPattern({ source: ['prescale'], 'detail-type': ['Campaign Updated'] }, event)).toBe(
      false,
    );
  });

  it('is exact: case, spacing and a field the event lacks all miss', () => {
    expect(matchesEventPattern({ 'detail-type': ['campaign scheduled'] }, event)).toBe(false);
    expect(matchesEventPattern({ 'detail-type': ['Campaign  Scheduled'] }, event)).toBe(false);
    expect(matchesEventPattern({ account: ['123456789012'] }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { missing: [null] } }, event)).toBe(false);
  });

  it('matches nested fields, an array field by any element, and numbers, booleans and null by value', () => {
    expect(matchesEventPattern({ detail: { groups: { names: ['api', 'web'] } } }, event)).toBe(true);
    expect(matchesEventPattern({ resources: ['arn:b'] }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { count: [3], dry: [false], none: [null] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { count: ['3'] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { kind: { nested: ['sale'] } } }, event)).toBe(false);
  });

  it('refuses content filters by name instead of guessing, even after another field missed', () => {
    expect(() =>
      matchesEventPattern({ source: ['other'], detail: { kind: [{ prefix: 'sa' }] } }, event),
    ).toThrow(
      new UnsupportedEventPatternError(
        'pattern field detail.kind uses the content filter prefix, which this matcher does not implement',
      ),
    );
    expect(() =>
      matchesEventPattern({ source: ['prescale'], $or: [{ detail: { kind: ['sale'] } }] } as never, event),
    ).toThrow('pattern top level uses the $or operator, which this matcher does not implement');
    expect(() => matchesEventPattern({ source: [] }, event)).toThrow(/lists no value/);
    expect(() => matchesEventPattern({ source: 'prescale' } as never, event)).toThrow(/must be an array/);
  });

  it('an event always matches the pattern of its own top-level string fields, and a changed value never does', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => k !== '$or'),
          fc.string(),
          { minKeys: 1 },
        ),
        fc.string(),
        (fields, extra) => {
          const pattern = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]]));
          expect(matchesEventPattern(pattern, fields)).toBe(true);
          const [key, value] = Object.entries(fields)[0] as [string, string];
          fc.pre(extra !== value);
          expect(matchesEventPattern(pattern, { ...fields, [key]: extra })).toBe(false);
        },
      ),
    );
  });
});
