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
    expect(() => matchesEventPattern({ source: [] }, event)).toThrow(/lists no value/);
    expect(() => matchesEventPattern({ source: 'prescale' } as never, event)).toThrow(/must be an array/);
  });

  it('matches anything-but when the event has the field and no value of it is excluded', () => {
    expect(matchesEventPattern({ source: [{ 'anything-but': 'other' }] }, event)).toBe(true);
    expect(matchesEventPattern({ source: [{ 'anything-but': 'prescale' }] }, event)).toBe(false);
    expect(matchesEventPattern({ source: [{ 'anything-but': ['a', 'prescale'] }] }, event)).toBe(false);
    expect(matchesEventPattern({ 'detail-type': [{ 'anything-but': ['campaign scheduled'] }] }, event)).toBe(
      true,
    );
    expect(matchesEventPattern({ detail: { count: [{ 'anything-but': [1, 2] }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { count: [{ 'anything-but': 3 }] } }, event)).toBe(false);
    // A string is not its number: anything-but "3" lets 3 through.
    expect(matchesEventPattern({ detail: { count: [{ 'anything-but': '3' }] } }, event)).toBe(true);
    // Absent, or an object (which holds no value of its own): nothing to match.
    expect(matchesEventPattern({ account: [{ 'anything-but': 'x' }] }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { groups: [{ 'anything-but': 'x' }] } }, event)).toBe(false);
    // An array matches when any element is not excluded.
    expect(matchesEventPattern({ resources: [{ 'anything-but': 'arn:a' }] }, event)).toBe(true);
    expect(matchesEventPattern({ resources: [{ 'anything-but': ['arn:a', 'arn:b'] }] }, event)).toBe(false);
    // Beside exact values, either may match.
    expect(matchesEventPattern({ source: ['prescale', { 'anything-but': 'prescale' }] }, event)).toBe(true);
  });

  it('refuses an anything-but EventBridge refuses or this matcher does not implement, by name', () => {
    expect(() => matchesEventPattern({ source: [{ 'anything-but': ['a', 1] }] }, event)).toThrow(
      /anything-but with \["a",1\]: this matcher implements it with a string, a number, or a non-empty list/,
    );
    expect(() => matchesEventPattern({ source: [{ 'anything-but': [] }] }, event)).toThrow(
      /anything-but with \[\]/,
    );
    expect(() => matchesEventPattern({ source: [{ 'anything-but': { prefix: 'pre' } }] }, event)).toThrow(
      /source uses anything-but of prefix/,
    );
    expect(() => matchesEventPattern({ source: [{ 'anything-but': 'x', prefix: 'p' }] }, event)).toThrow(
      'pattern field source uses the content filter anything-but, prefix, which this matcher does not implement',
    );
  });

  it('matches $or when any alternative does, and the other fields of its object too', () => {
    const either = (source: string, type: string) => ({
      $or: [{ source: [source] }, { 'detail-type': [type] }],
    });
    expect(matchesEventPattern(either('prescale', 'X'), event)).toBe(true);
    expect(matchesEventPattern(either('other', 'Campaign Scheduled'), event)).toBe(true);
    expect(matchesEventPattern(either('other', 'X'), event)).toBe(false);
    expect(matchesEventPattern({ ...either('prescale', 'X'), resources: ['arn:c'] }, event)).toBe(false);
    // Nested, and an alternative of several fields, all of which must match.
    expect(
      matchesEventPattern(
        { detail: { $or: [{ kind: ['gift'] }, { count: [3], dry: [true] }, { none: [null] }] } },
        event,
      ),
    ).toBe(true);
    expect(
      matchesEventPattern({ detail: { $or: [{ kind: ['gift'] }, { count: [3], dry: [true] }] } }, event),
    ).toBe(false);
  });

  it('refuses a $or that is no list of two or more patterns, and checks every alternative', () => {
    expect(() => matchesEventPattern({ $or: [{ source: ['prescale'] }] } as never, event)).toThrow(
      /^pattern top level \$or must list at least two patterns/,
    );
    expect(() => matchesEventPattern({ detail: { $or: { kind: ['sale'] } } } as never, event)).toThrow(
      /^pattern detail \$or must list at least two patterns/,
    );
    expect(() =>
      matchesEventPattern({ $or: [{ source: ['prescale'] }, { source: [{ prefix: 'p' }] }] }, event),
    ).toThrow('pattern field source uses the content filter prefix, which this matcher does not implement');
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
