import { eventBridgeEventSchema } from './eventbridge-event';
import { ROLLING_UPDATE_REQUESTED } from './rolling-update';

/** The event of the rolling-update starter (`Rolling Update Requested`). */
export const rollingUpdateRequestedEventSchema = eventBridgeEventSchema(
  ROLLING_UPDATE_REQUESTED.source,
  ROLLING_UPDATE_REQUESTED.detailType,
);
