/** A full `Campaign Scheduled` detail, every optional field set. */
export const campaignDetail = {
  campaignId: 'black-friday-2026',
  kind: 'sale',
  groups: { names: ['web'] },
  start: '2026-11-27T08:00:00+01:00',
  end: '2026-11-27T20:00:00+01:00',
  expectedLoad: { kind: 'multiplier', factor: 3 },
  rampUpSeconds: 1800,
  extraInstances: 2,
};

/** `detail` as EventBridge delivers it, with `detailType`. */
export const campaignEvent = (d: unknown, detailType = 'Campaign Scheduled') => ({
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
