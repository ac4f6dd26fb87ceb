import { buildTestApp } from '../helpers/build-test-app';
import { ACCOUNT, arnOf, PARTITION, REGION, resolveIntrinsics, type TemplateJson } from './template-iam';

const SCHEDULER = `arn:${PARTITION}:scheduler:${REGION}:${ACCOUNT}:`;

describe('template-iam', () => {
  it("resolves Prescale's recurring schedules to their own schedule group, not the default one", () => {
    const { stack, template } = buildTestApp();
    const json = template().toJSON() as TemplateJson;
    const group = stack.resolve(stack.scaler.recurringSchedules.scheduleGroupName) as string;
    const schedules = Object.entries(json.Resources)
      .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
      .map(([id]) => id);
    expect(schedules).not.toHaveLength(0);
    for (const id of schedules) expect(arnOf(json, id)).toBe(`${SCHEDULER}schedule/${group}/${id}`);
  });

  it('names schedules and groups by their Name, a schedule without a group in the default one', () => {
    const json: TemplateJson = {
      Resources: {
        Group: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: 'app-schedules' } },
        InGroup: { Type: 'AWS::Scheduler::Schedule', Properties: { GroupName: { Ref: 'Group' } } },
        Named: { Type: 'AWS::Scheduler::Schedule', Properties: { Name: 'nightly', GroupName: 'other' } },
        Ungrouped: { Type: 'AWS::Scheduler::Schedule', Properties: {} },
      },
    };
    expect(arnOf(json, 'Group')).toBe(`${SCHEDULER}schedule-group/app-schedules`);
    expect(resolveIntrinsics(json, { Ref: 'Group' })).toBe('app-schedules');
    expect(arnOf(json, 'InGroup')).toBe(`${SCHEDULER}schedule/app-schedules/InGroup`);
    expect(arnOf(json, 'Named')).toBe(`${SCHEDULER}schedule/other/nightly`);
    expect(arnOf(json, 'Ungrouped')).toBe(`${SCHEDULER}schedule/default/Ungrouped`);
  });
});
