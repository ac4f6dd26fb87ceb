import { campaignWindows } from '../core/campaigns/campaign-windows';
import type { CampaignUplift, CampaignWindow } from '../core/forecast/types';
import { CAMPAIGN_DETAIL_TYPES, campaignUplift, validateCampaignEvent } from './campaign-events';
import { InvalidConfigError } from './parse-config';

/**
 * The forecast windows one `Campaign Scheduled`/`Campaign Updated` event puts on a group, by the
 * same rule the loop uses (`campaignWindows`): for simulations and tests that drive the forecast
 * from an event without AWS. A campaign without `expectedLoad` gets `learned` when given (what
 * its kind showed before), else only its extra instances.
 * @throws InvalidConfigError when the event is not a valid Scheduled/Updated event.
 */
export function campaignEventWindows(
  event: unknown,
  targetLoadPerInstance: number,
  learned?: CampaignUplift,
): CampaignWindow[] {
  const validation = validateCampaignEvent(event);
  if (validation.kind === 'invalid') throw new InvalidConfigError('campaign event', validation.problems);
  const e = validation.event;
  if (e.type === 'cancelled') {
    throw new InvalidConfigError('campaign event', [
      {
        path: 'detail-type',
        received: JSON.stringify(CAMPAIGN_DETAIL_TYPES.cancelled),
        expected: 'expected a Campaign Scheduled or Campaign Updated event',
      },
    ]);
  }
  const uplift = campaignUplift(e.detail) ?? learned;
  return campaignWindows(
    [
      {
        campaignId: e.detail.campaignId,
        startMs: Date.parse(e.detail.start),
        endMs: Date.parse(e.detail.end),
        rampUpSeconds: e.detail.rampUpSeconds ?? 0,
        ...(uplift ? { uplift } : {}),
        extraInstances: e.detail.extraInstances ?? 0,
      },
    ],
    targetLoadPerInstance,
  );
}
