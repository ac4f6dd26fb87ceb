import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { validateCampaignEvent } from '../../../shared/contracts/campaign-events';
import { campaignEventsJsonSchema } from '../../../shared/contracts/campaign-events-json-schema';
import { campaignDetail, campaignEvent } from '../../helpers/campaign-event-fixture';

const detail = campaignDetail;
const event = campaignEvent;

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
    [
      'a group name Auto Scaling takes but IAM cannot grant by',
      { ...detail, groups: { names: ['checkout(blue)'] } },
      true,
    ],
    ['a group name with a colon', { ...detail, groups: { names: ['web:blue'] } }, false],
    ['a group name with a space', { ...detail, groups: { names: ['web blue'] } }, false],
    ['a 256-character group name', { ...detail, groups: { names: ['g'.repeat(256)] } }, false],
    ['41 groups', { ...detail, groups: { names: Array.from({ length: 41 }, (_, i) => `g${i}`) } }, false],
    ['an unknown groups field', { ...detail, groups: { names: ['web'], arns: [] } }, false],
    ['a factor of 0', { ...detail, expectedLoad: { kind: 'multiplier', factor: 0 } }, false],
    ['a factor of 1e-131', { ...detail, expectedLoad: { kind: 'multiplier', factor: 1e-131 } }, false],
    ['a factor of 0.001', { ...detail, expectedLoad: { kind: 'multiplier', factor: 0.001 } }, false],
    ['a factor of 0.01', { ...detail, expectedLoad: { kind: 'multiplier', factor: 0.01 } }, true],
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
