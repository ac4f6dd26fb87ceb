import { eventBridgeEventSchema } from './eventbridge-event';
import { ROLLING_UPDATE_PLAN_CANCEL_REQUESTED, ROLLING_UPDATE_PLAN_REQUESTED } from './update-plan';

/** The event of the plan starter (`Rolling Update Plan Requested`). */
export const updatePlanRequestedEventSchema = eventBridgeEventSchema(
  ROLLING_UPDATE_PLAN_REQUESTED.source,
  ROLLING_UPDATE_PLAN_REQUESTED.detailType,
);

/** The event of the plan canceller (`Rolling Update Plan Cancel Requested`). */
export const updatePlanCancelRequestedEventSchema = eventBridgeEventSchema(
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED.source,
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED.detailType,
);
