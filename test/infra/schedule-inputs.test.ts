import type { CfnElement } from 'aws-cdk-lib';
import type * as z from 'zod';
import type { ScheduledFunction } from '../../infra/constructs/scheduled-function';
import { parseConfig } from '../../shared/contracts/parse-config';
import { findScheduledMaintenanceEventSchema } from '../../shared/contracts/rolling-update';
import { dispatchScalingRunEventSchema } from '../../shared/contracts/scaling-events';
import { selectInstanceTypesEventSchema } from '../../shared/contracts/select-instance-types-event';
import { buildTestApp, TEST_CONFIG } from '../helpers/build-test-app';

/**
 * What EventBridge Scheduler puts in place of each context attribute, in the format of the
 * examples in "Adding context attributes in EventBridge Scheduler" (Scheduler user guide).
 */
const SCHEDULER_CONTEXT: Readonly<Record<string, string>> = {
  '<aws.scheduler.scheduled-time>': '2026-03-01T10:05:00Z',
  '<aws.scheduler.schedule-arn>': 'arn:aws:scheduler:eu-west-1:123456789012:schedule/prescale/loop',
  '<aws.scheduler.execution-id>': 'd32c5kddcf5bb8c3',
  '<aws.scheduler.attempt-number>': '1',
};

describe('recurring schedule inputs', () => {
  const { stack, template } = buildTestApp({
    ...TEST_CONFIG,
    rollingUpdate: { autoStartOnScheduledEvents: true },
  });
  const schedules = template().findResources('AWS::Scheduler::Schedule');
  const scaler = stack.scaler;
  const maintenance = scaler.rollingUpdates.maintenanceScan;
  if (!maintenance) throw new Error('the test config enables the maintenance scan');
  const cases: [string, ScheduledFunction, z.ZodType][] = [
    ['the scaling loop', scaler.scalingLoop.schedule, dispatchScalingRunEventSchema],
    ['the instance-type selection', scaler.instanceTypeSelector.schedule, selectInstanceTypesEventSchema],
    ['the maintenance scan', maintenance, findScheduledMaintenanceEventSchema],
  ];

  /** The payload the schedule of `scheduled` delivers: its synthesized Input, attributes replaced. */
  function deliveredPayload(scheduled: ScheduledFunction): unknown {
    const logicalId = stack.getLogicalId(scheduled.schedule.node.defaultChild as CfnElement);
    const input = schedules[logicalId]?.Properties.Target.Input as string;
    return JSON.parse(
      Object.entries(SCHEDULER_CONTEXT).reduce((text, [key, value]) => text.replaceAll(key, value), input),
    );
  }

  it('covers every recurring schedule in the template', () => {
    expect(Object.keys(schedules)).toHaveLength(cases.length);
  });

  it.each(cases)('delivers to %s an event its handler accepts', (_name, scheduled, schema) => {
    const payload = deliveredPayload(scheduled);
    expect(() => parseConfig(schema, payload, 'event')).not.toThrow();
  });

  it('sends the loop and the selection the time of the run, repeated by every delivery of it', () => {
    for (const scheduled of [scaler.scalingLoop.schedule, scaler.instanceTypeSelector.schedule]) {
      expect(deliveredPayload(scheduled)).toEqual({ scheduledTime: '2026-03-01T10:05:00Z' });
    }
  });
});
