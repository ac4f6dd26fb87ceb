import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import {
  campaignEventsJsonSchema,
  campaignEventWindows,
  validateCampaignEvent,
} from '../../../shared/contracts/campaign-events';
import { InvalidConfigError } from '../../../shared/contracts/parse-config';

const TIME =
  'expected an ISO 8601 date-time with an offset or Z, e.g. 2026-11-27T08:00:00+01:00 (a time without offset is ambiguous)';

const detail = {
  campaignId: 'black-friday-2026',
  kind: 'sale',
  groups: { names: ['web'] },
  start: '2026-11-27T08:00:00+01:00',
  end: '2026-11-27T20:00:00+01:00',
  expectedLoad: { kind: 'multiplier', factor: 3 },
  rampUpSeconds: 1800,
  extraInstances: 2,
};
const event = (d: unknown, detailType = 'Campaign Scheduled') => ({
  version: '0',
  id: 'e-1',
  source: 'prescale',
  'detail-type': detailType,
  account: '123456789012',
  time: '2026-11-20T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: d,
});

describe('validateCampaignEvent', () => {
  it('accepts a full Campaign Scheduled event and keeps its fields', () => {
    expect(validateCampaignEvent(event(detail))).toEqual({
      kind: 'valid',
      event: { type: 'scheduled', eventId: 'e-1', detail },
    });
  });

  it('accepts groups by tag, added load, Updated with a version and Cancelled', () => {
    const byTag = {
      ...detail,
      groups: { tag: { key: 'team', value: 'shop' } },
      expectedLoad: { kind: 'added-load', load: 500 },
    };
    expect(validateCampaignEvent(event(byTag)).kind).toBe('valid');
    expect(validateCampaignEvent(event({ ...detail, version: 2 }, 'Campaign Updated')).kind).toBe('valid');
    expect(
      validateCampaignEvent(event({ campaignId: 'x', reason: 'moved' }, 'Campaign Cancelled')).kind,
    ).toBe('valid');
  });

  it.each([
    [
      'a start without offset',
      event({ ...detail, start: '2026-11-27T08:00:00' }),
      `detail.start: ${TIME}; received "2026-11-27T08:00:00"`,
    ],
    [
      'an end that is a date only',
      event({ ...detail, end: '2026-11-27' }),
      `detail.end: ${TIME}; received "2026-11-27"`,
    ],
    [
      'an end before the start',
      event({ ...detail, end: '2026-11-27T07:00:00Z' }),
      'detail.end: expected end after start (2026-11-27T08:00:00+01:00); received "2026-11-27T07:00:00Z"',
    ],
    [
      'a window longer than 14 days',
      event({ ...detail, end: '2026-12-27T08:00:00+01:00' }),
      'detail.end: expected a window of at most 14 days from start (2026-11-27T08:00:00+01:00); received "2026-12-27T08:00:00+01:00"',
    ],
    [
      'a ramp longer than the window',
      event({ ...detail, rampUpSeconds: 50_000 }),
      'detail.rampUpSeconds: expected a ramp no longer than the window (43200 s); received 50000',
    ],
    [
      'no groups',
      event({ ...detail, groups: {} }),
      'detail.groups: expected at least one group name or a tag; received {}',
    ],
    [
      'a bad group name',
      event({ ...detail, groups: { names: ['web server'] } }),
      'detail.groups.names.0: expected an Auto Scaling group name (letters, digits and + = , . @ / - _); received "web server"',
    ],
    [
      'an unknown expected-load kind',
      event({ ...detail, expectedLoad: { kind: 'percent', value: 20 } }),
      'detail.expectedLoad.kind: expected expectedLoad.kind "multiplier" or "added-load"; received "percent"',
    ],
    [
      'a zero multiplier',
      event({ ...detail, expectedLoad: { kind: 'multiplier', factor: 0 } }),
      'detail.expectedLoad.factor: expected a positive number of at least 1e-130 (DynamoDB stores no smaller one); received 0',
    ],
    [
      'a multiplier DynamoDB cannot store',
      event({ ...detail, expectedLoad: { kind: 'multiplier', factor: 1e-131 } }),
      'detail.expectedLoad.factor: expected a positive number of at least 1e-130 (DynamoDB stores no smaller one); received 1e-131',
    ],
    [
      'a negative added load',
      event({ ...detail, expectedLoad: { kind: 'added-load', load: -5 } }),
      'detail.expectedLoad.load: expected a positive number of at least 1e-130 (DynamoDB stores no smaller one); received -5',
    ],
    [
      'fractional extra instances',
      event({ ...detail, extraInstances: 1.5 }),
      'detail.extraInstances: Invalid input: expected int, received number; received 1.5',
    ],
    [
      'a bad campaign id',
      event({ ...detail, campaignId: 'black friday!' }),
      'detail.campaignId: expected a campaign id of 1–48 letters, digits, ".", "_" or "-", starting with a letter or digit; received "black friday!"',
    ],
    [
      'an upper-case kind',
      event({ ...detail, kind: 'Sale' }),
      'detail.kind: expected a kind of 1–64 lower-case letters, digits or "-", e.g. spring-sale; received "Sale"',
    ],
    [
      'an unknown field',
      event({ ...detail, startTime: 'x' }),
      `detail: Unrecognized key: "startTime"; received ${JSON.stringify({ ...detail, startTime: 'x' }).slice(0, 77)}...`,
    ],
    [
      'an update without version',
      event(detail, 'Campaign Updated'),
      'detail.version: expected a version (a whole number ≥ 2, higher than the last one sent); received nothing (missing)',
    ],
    [
      'a cancel without id',
      event({ reason: 'x' }, 'Campaign Cancelled'),
      'detail.campaignId: expected a campaign id; received nothing (missing)',
    ],
    [
      'another source',
      { ...event(detail), source: 'aws.ec2' },
      'source: expected source "prescale"; received "aws.ec2"',
    ],
    [
      'an unknown detail-type',
      event(detail, 'Campaign Postponed'),
      'detail-type: expected detail-type "Campaign Scheduled", "Campaign Updated", "Campaign Cancelled"; received "Campaign Postponed"',
    ],
    ['no detail', event(undefined), 'detail: expected a detail object; received nothing (missing)'],
    ['not an object', 'hello', '(root): expected an EventBridge event object; received "hello"'],
  ])('rejects %s with its exact reason', (_label, input, reason) => {
    expect(validateCampaignEvent(input)).toEqual(expect.objectContaining({ kind: 'invalid', reason }));
  });
});

describe('campaign-events.schema.json', () => {
  it('is the JSON Schema generated from the zod schemas (regenerate it when they change)', () => {
    const committed = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../docs/campaign-events.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(campaignEventsJsonSchema());
  });

  /**
   * The schema in draft-07 terms for Ajv (which has no draft-04): `exclusiveMinimum: true` beside
   * `minimum` becomes `exclusiveMinimum: <minimum>`.
   */
  function asDraft07(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(asDraft07);
    if (typeof node !== 'object' || node === null) return node;
    const { $schema: _dialect, ...rest } = node as Record<string, unknown>;
    const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asDraft07(v)]));
    if (out.exclusiveMinimum === true) {
      out.exclusiveMinimum = out.minimum;
      delete out.minimum;
    }
    return out;
  }
  const schemaAccepts = new Ajv({ strict: false, validateFormats: false }).compile(
    asDraft07(
      JSON.parse(readFileSync(path.resolve(__dirname, '../../../docs/campaign-events.schema.json'), 'utf8')),
    ) as object,
  );

  // Shapes only: the schema cannot say "end after start" or "window ≤ 14 days" (docs/campaigns.md).
  it.each([
    ['the example', detail, true],
    ['a tag', { ...detail, groups: { tag: { key: 'team', value: 'shop' } } }, true],
    ['names and a tag', { ...detail, groups: { names: ['web'], tag: { key: 'team', value: '' } } }, true],
    [
      'an empty name list with a tag',
      { ...detail, groups: { names: [], tag: { key: 't', value: 'v' } } },
      true,
    ],
    ['no groups', { ...detail, groups: {} }, false],
    ['an empty name list', { ...detail, groups: { names: [] } }, false],
    ['an empty group name', { ...detail, groups: { names: [''] } }, false],
    ['41 groups', { ...detail, groups: { names: Array.from({ length: 41 }, (_, i) => `g${i}`) } }, false],
    ['an unknown groups field', { ...detail, groups: { names: ['web'], arns: [] } }, false],
    ['a factor of 0', { ...detail, expectedLoad: { kind: 'multiplier', factor: 0 } }, false],
    ['a factor of 1e-131', { ...detail, expectedLoad: { kind: 'multiplier', factor: 1e-131 } }, false],
    ['a factor of 1e-130', { ...detail, expectedLoad: { kind: 'multiplier', factor: 1e-130 } }, true],
    ['a load of 1e-131', { ...detail, expectedLoad: { kind: 'added-load', load: 1e-131 } }, false],
    ['a factor of 101', { ...detail, expectedLoad: { kind: 'multiplier', factor: 101 } }, false],
    ['a load over 1e12', { ...detail, expectedLoad: { kind: 'added-load', load: 2e12 } }, false],
    ['a ramp over a day', { ...detail, end: '2026-11-29T08:00:00+01:00', rampUpSeconds: 86_401 }, false],
    ['a 65-character kind', { ...detail, kind: 'k'.repeat(65) }, false],
    ['a 49-character id', { ...detail, campaignId: 'c'.repeat(49) }, false],
    ['a time without offset', { ...detail, start: '2026-11-27T08:00:00' }, false],
  ])('agrees with the code on %s', (_label, d, valid) => {
    expect(validateCampaignEvent(event(d)).kind).toBe(valid ? 'valid' : 'invalid');
    expect(schemaAccepts(event(d))).toBe(valid);
  });
});

describe('campaignEventWindows', () => {
  it('turns an event into its forecast windows, extra instances as load on top', () => {
    expect(campaignEventWindows(event(detail), 50)).toEqual([
      {
        campaignId: 'black-friday-2026',
        startMs: Date.parse('2026-11-27T07:00:00Z'),
        endMs: Date.parse('2026-11-27T19:00:00Z'),
        uplift: { kind: 'multiplier', factor: 3 },
        rampUpSeconds: 1800,
      },
      {
        campaignId: 'black-friday-2026+extra-instances',
        startMs: Date.parse('2026-11-27T07:00:00Z'),
        endMs: Date.parse('2026-11-27T19:00:00Z'),
        uplift: { kind: 'added-load', load: 100 },
        rampUpSeconds: 0,
      },
    ]);
  });

  it('uses a learned uplift when the event gives no size, and throws on an invalid event', () => {
    const { expectedLoad: _none, extraInstances: _extra, ...sizeless } = detail;
    expect(campaignEventWindows(event(sizeless), 50, { kind: 'multiplier', factor: 1.4 })).toEqual([
      expect.objectContaining({ uplift: { kind: 'multiplier', factor: 1.4 } }),
    ]);
    expect(() => campaignEventWindows(event({ ...detail, start: 'soon' }), 50)).toThrow(InvalidConfigError);
  });
});
