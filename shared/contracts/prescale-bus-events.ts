import { CAMPAIGN_DETAIL_TYPES, CAMPAIGN_EVENT_SOURCE } from './campaign-events';
import { ROLLING_UPDATE_REQUESTED } from './rolling-update';
import { ROLLING_UPDATE_PLAN_CANCEL_REQUESTED, ROLLING_UPDATE_PLAN_REQUESTED } from './update-plan';

/** The `source` and `detail-type` of an event a rule on Prescale's bus takes. */
export interface BusEventType {
  readonly source: string;
  readonly detailType: string;
}

/**
 * Every event a rule on Prescale's bus takes, each to one function: the campaign receiver, the
 * rolling-update requester, the plan requester and the plan canceller. Any other event on the bus
 * (a misspelt source or detail-type) is kept whole, with the reason, in the bus's unmatched-events
 * queue, so none is accepted by PutEvents and then lost.
 */
export const PRESCALE_BUS_EVENT_TYPES: readonly BusEventType[] = [
  ...Object.values(CAMPAIGN_DETAIL_TYPES).map((detailType) => ({
    source: CAMPAIGN_EVENT_SOURCE,
    detailType,
  })),
  ROLLING_UPDATE_REQUESTED,
  ROLLING_UPDATE_PLAN_REQUESTED,
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED,
];
