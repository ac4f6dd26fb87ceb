import { validateCampaignEvent } from '../../../shared/contracts/campaign-events';
import { campaignDetail, campaignEvent } from '../../helpers/campaign-event-fixture';

const TIME =
  'expected an ISO 8601 date-time of a real day, with seconds and an offset ±hh:mm or Z, e.g. 2026-11-27T08:00:00+01:00 (a time without offset is ambiguous)';

const detail = campaignDetail;
const event = campaignEvent;

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
    expect(validateCampaignEvent(event({ ...detail, version: 2 ** 31 - 1 }, 'Campaign Updated')).kind).toBe(
      'valid',
    );
    expect(
      validateCampaignEvent(event({ campaignId: 'x', reason: 'moved' }, 'Campaign Cancelled')).kind,
    ).toBe('valid');
  });

  it('accepts any group name Auto Scaling takes, as a tag enrols it, not only those IAM grants by name', () => {
    const names = ['checkout(blue)', 'shop*eu', 'a'.repeat(255)];
    expect(validateCampaignEvent(event({ ...detail, groups: { names } }))).toEqual({
      kind: 'valid',
      event: { type: 'scheduled', eventId: 'e-1', detail: { ...detail, groups: { names } } },
    });
  });

  it.each([
    ['an offset without its colon', '2026-11-27T08:00:00+0100', '±hh:mm'],
    ['a time without seconds', '2026-11-27T08:00Z', 'with seconds'],
    ['a day that does not exist', '2027-02-29T08:00:00Z', 'of a real day'],
  ])('says what a start with %s lacks, not that it has no offset', (_case, start, lacking) => {
    const result = validateCampaignEvent(event({ ...detail, start }));
    expect(result).toEqual(
      expect.objectContaining({ reason: `detail.start: ${TIME}; received ${JSON.stringify(start)}` }),
    );
    expect(TIME).toContain(lacking);
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
      'a group name with a space',
      event({ ...detail, groups: { names: ['web server'] } }),
      'detail.groups.names.0: expected an Auto Scaling group name: 1 to 255 printable ASCII characters (33 to 126), no space, no colon; received "web server"',
    ],
    [
      'a group name with a colon, which Auto Scaling refuses',
      event({ ...detail, groups: { names: ['web', 'web:blue'] } }),
      'detail.groups.names.1: expected an Auto Scaling group name: 1 to 255 printable ASCII characters (33 to 126), no space, no colon; received "web:blue"',
    ],
    [
      'an unknown expected-load kind',
      event({ ...detail, expectedLoad: { kind: 'percent', value: 20 } }),
      'detail.expectedLoad.kind: expected expectedLoad.kind "multiplier" or "added-load"; received "percent"',
    ],
    [
      'a zero multiplier',
      event({ ...detail, expectedLoad: { kind: 'multiplier', factor: 0 } }),
      'detail.expectedLoad.factor: expected a multiplier of at least 0.01 (the load a past campaign brought is read back divided by it, so a smaller one would inflate the days after it); received 0',
    ],
    [
      'a multiplier below 1/100',
      event({ ...detail, expectedLoad: { kind: 'multiplier', factor: 0.0001 } }),
      'detail.expectedLoad.factor: expected a multiplier of at least 0.01 (the load a past campaign brought is read back divided by it, so a smaller one would inflate the days after it); received 0.0001',
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
      // Stored, it would make every later legitimate update stale: no version could be higher.
      'an update with a version past 2^31 - 1',
      event({ ...detail, version: Number.MAX_SAFE_INTEGER }, 'Campaign Updated'),
      'detail.version: expected a version of at most 2147483647 (2^31 − 1), so that a later update can still send a higher one; received 9007199254740991',
    ],
    [
      'a schedule with a version past 2^31 - 1',
      event({ ...detail, version: 2 ** 31 }),
      'detail.version: expected a version of at most 2147483647 (2^31 − 1), so that a later update can still send a higher one; received 2147483648',
    ],
    [
      'a cancel with a version past 2^31 - 1',
      event({ campaignId: detail.campaignId, version: 2 ** 31 }, 'Campaign Cancelled'),
      'detail.version: expected a version of at most 2147483647 (2^31 − 1), so that a later update can still send a higher one; received 2147483648',
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

  it('cuts a long received value between characters, never inside a surrogate pair', () => {
    // 76 characters before the emoji: the 77th UTF-16 unit is the first half of its pair.
    const kind = `${'x'.repeat(75)}🎉🎉`;
    const result = validateCampaignEvent(event({ ...detail, kind }));
    const reason = result.kind === 'invalid' ? result.reason : '';
    expect(reason).toContain('received "xxx');
    expect(reason).toMatch(/^[^\uD800-\uDFFF]*(?:[\uD800-\uDBFF][\uDC00-\uDFFF][^\uD800-\uDFFF]*)*$/);
  });
});
