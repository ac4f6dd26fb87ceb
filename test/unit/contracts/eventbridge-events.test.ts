import { eventBridgeEventSchema } from '../../../shared/contracts/eventbridge-event';
import { rollingUpdateRequestedEventSchema } from '../../../shared/contracts/rolling-update-events';
import {
  updatePlanCancelRequestedEventSchema,
  updatePlanRequestedEventSchema,
} from '../../../shared/contracts/update-plan-events';

/** An EventBridge event as the AWS EventBridge user guide shows one, with this source and type. */
function eventBridgeEvent(source: string, detailType: string) {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': detailType,
    source,
    account: '111122223333',
    time: '2026-12-03T09:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { groupName: 'web' },
  };
}

describe('eventBridgeEventSchema', () => {
  it('accepts its source and detail type with any detail, and names the field that differs', () => {
    const schema = eventBridgeEventSchema('prescale', 'Thing Happened');
    expect(schema.parse(eventBridgeEvent('prescale', 'Thing Happened')).detail).toEqual({ groupName: 'web' });
    const other = schema.safeParse(eventBridgeEvent('prescale', 'Other Thing'));
    expect(other.success).toBe(false);
    expect(other.error?.issues.map((issue) => issue.path)).toEqual([['detail-type']]);
    const foreign = schema.safeParse(eventBridgeEvent('aws.ec2', 'Thing Happened'));
    expect(foreign.error?.issues.map((issue) => issue.path)).toEqual([['source']]);
  });
});

describe('the rolling-update and plan request events', () => {
  const schemas = {
    'Rolling Update Requested': rollingUpdateRequestedEventSchema,
    'Rolling Update Plan Requested': updatePlanRequestedEventSchema,
    'Rolling Update Plan Cancel Requested': updatePlanCancelRequestedEventSchema,
  };

  it.each(Object.keys(schemas))('%s: each starter accepts its own event only', (detailType) => {
    for (const [accepted, schema] of Object.entries(schemas))
      expect(schema.safeParse(eventBridgeEvent('prescale', detailType)).success).toBe(
        accepted === detailType,
      );
  });
});
