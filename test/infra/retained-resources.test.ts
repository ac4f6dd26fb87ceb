import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';

type Resource = {
  Type: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties?: Record<string, unknown>;
};

type LogDestination = { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } };

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
  const resources = synthesizedTemplate({
    ...TEST_CONFIG,
    rollingUpdate: { autoStartOnScheduledEvents: true },
  }).toJSON().Resources as Record<string, Resource>;

  it('keeps nothing under a fixed name, so a stack of the same name can be deployed again', () => {
    // A retained resource with the template's name would make the next create of that name fail
    // (a schedule group's name is fixed by CDK, and CDK retains one by default).
    const retainedNamed = Object.entries(resources)
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate')
      .filter(([, r]) => NAME_PROPERTIES.some((p) => r.Properties?.[p] !== undefined))
      .map(([id, r]) => `${r.Type} ${id}`);
    expect(retainedNamed).toEqual([]);
  });

  it('retains only what docs/OPERATIONS.md (Uninstall) says stays: the state table and the function log groups', () => {
    // Each retained type with the words docs/OPERATIONS.md's *Uninstall* uses for it.
    const documented: Record<string, string> = {
      'AWS::DynamoDB::GlobalTable': 'The state table is retained',
      'AWS::Logs::LogGroup': "Each function's log group stays",
    };
    const retainedTypes = [
      ...new Set(
        Object.values(resources)
          .filter((r) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete')
          .map((r) => r.Type),
      ),
    ].sort();
    expect(retainedTypes).toEqual(Object.keys(documented).sort());
    const uninstall = readFileSync(join(__dirname, '../../docs/OPERATIONS.md'), 'utf8').split(
      '## Uninstall',
    )[1];
    for (const words of Object.values(documented)) expect(uninstall).toContain(words);
  });

  it('deletes the state machines’ log groups with the stack and on replacement: their names are fixed (/aws/vendedlogs/)', () => {
    const machineLogGroups = Object.values(resources)
      .filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
      .flatMap(
        (r) =>
          (r.Properties?.LoggingConfiguration as { Destinations?: LogDestination[] })?.Destinations ?? [],
      )
      .map((d) => resources[d.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]]);
    expect(machineLogGroups).toHaveLength(2);
    for (const group of machineLogGroups) expect(group?.DeletionPolicy).toBe('Delete');
    // On replacement too (UpdateReplacePolicy): a replaced group kept under its fixed name would
    // hold the name a later replacement back to it must create.
    for (const group of machineLogGroups) expect(group?.UpdateReplacePolicy).toBe('Delete');
  });

  it('deletes both schedule groups with the stack, the campaigns’ one-time schedules with them', () => {
    const groups = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::ScheduleGroup');
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group.DeletionPolicy).toBe('Delete');
  });
});
