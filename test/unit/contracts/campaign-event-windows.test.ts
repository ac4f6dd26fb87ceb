import { campaignEventWindows } from '../../../shared/contracts/campaign-event-windows';
import { InvalidConfigError } from '../../../shared/contracts/parse-config';
import { campaignDetail, campaignEvent } from '../../helpers/campaign-event-fixture';

const detail = campaignDetail;
const event = campaignEvent;

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
        headroom: true,
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
