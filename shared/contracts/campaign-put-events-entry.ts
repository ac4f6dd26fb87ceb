import { CAMPAIGN_DETAIL_TYPES, CAMPAIGN_EVENT_SOURCE, type CampaignEventType } from './campaign-events';

/** One `aws events put-events --entries` entry for a campaign event. */
export interface PutEventsEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

/** The put-events entry that sends `detail` as a `type` event to `eventBusName`. */
export function campaignPutEventsEntry(
  type: CampaignEventType,
  detail: unknown,
  eventBusName: string,
): PutEventsEntry {
  return {
    Source: CAMPAIGN_EVENT_SOURCE,
    DetailType: CAMPAIGN_DETAIL_TYPES[type],
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
  };
}
