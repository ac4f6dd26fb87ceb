import { buildTestApp, TEST_CONFIG } from '../helpers/build-test-app';

type Resource = { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> };

/** The properties that give a resource a name of the template's own rather than CloudFormation's. */
const NAME_PROPERTIES = [
  'Name',
  'LogGroupName',
  'TableName',
  'QueueName',
  'TopicName',
  'FunctionName',
  'RoleName',
  'StateMachineName',
  'AlarmName',
  'EventBusName',
] as const;

describe('what a deleted stack leaves behind', () => {
  const resources = buildTestApp({ ...TEST_CONFIG, rollingUpdate: { autoStartOnScheduledEvents: true } })
    .template()
    .toJSON().Resources as Record<string, Resource>;

  it('keeps nothing under a fixed name, so a stack of the same name can be deployed again', () => {
    // A retained resource with the template's name would make the next create of that name fail
    // (a schedule group's name is fixed by CDK, and CDK retains one by default).
    const retainedNamed = Object.entries(resources)
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate')
      .filter(([, r]) => NAME_PROPERTIES.some((p) => r.Properties?.[p] !== undefined))
      .map(([id, r]) => `${r.Type} ${id}`);
    expect(retainedNamed).toEqual([]);
  });

  it('deletes both schedule groups with the stack, the campaigns’ one-time schedules with them', () => {
    const groups = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::ScheduleGroup');
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group.DeletionPolicy).toBe('Delete');
  });
});
