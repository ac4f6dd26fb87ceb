import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';

/**
 * The resource types whose replacement loses state in a user's stack. A logical ID comes from the
 * construct path, so renaming or moving a construct replaces the resource: the state table is
 * orphaned (retained) and a new empty one created, whose first run per group stores Prescale's own
 * raised MinSize as the group's own; a replaced state machine's running executions are stopped with
 * no Catch run (headroom left raised, the group's lock held); a replaced schedule group deletes the
 * campaigns' pending one-time schedules; a replaced queue loses its dead letters; the old look-ahead
 * cleanup resource's deletion is sent to the old copy's remover, which before 2026-12-07 ran the
 * uninstall clean-up on a deployment that goes on (now it reads the stack and leaves it alone); a
 * replaced bus or key cuts off whatever pointed at the old one.
 */
const STATEFUL_TYPES = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'Custom::PrescaleLookAheadCleanup',
  'AWS::StepFunctions::StateMachine',
  'AWS::Scheduler::ScheduleGroup',
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
  'AWS::KMS::Key',
  'AWS::EventSchemas::Registry',
]);

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** `<type> <logical id>` of every stateful resource of the configuration's stack, sorted. */
function statefulLogicalIds(config: unknown): string[] {
  const resources = synthesizedTemplate(config).toJSON().Resources as Record<string, Resource>;
  return Object.entries(resources)
    .filter(
      ([, r]) =>
        STATEFUL_TYPES.has(r.Type) ||
        // A log group with a fixed name holds logs under that name; one CloudFormation names is a
        // function's, retained on replacement, and needs no pin.
        (r.Type === 'AWS::Logs::LogGroup' && r.Properties?.LogGroupName !== undefined),
    )
    .map(([id, r]) => `${r.Type} ${id}`)
    .sort();
}

/** Every optional part that brings a stateful resource of its own, on. */
const EVERY_OPTION = {
  ...TEST_CONFIG,
  rollingUpdate: { autoStartOnScheduledEvents: true, autoStartOnInstanceTypeChange: true },
  pricing: { apply: true },
  notifications: { email: 'ops@example.com' },
  campaigns: { schemaRegistry: true },
  groupMetrics: 'metrics',
  dependencies: { edges: [], xray: { enabled: true, serviceToGroup: { api: 'web' } } },
  eventSenders: ['arn:aws:iam::123456789012:role/sender'],
};

const PINNED_DEFAULT = [
  'AWS::DynamoDB::GlobalTable PrescaleStateTable2F8827BE',
  'AWS::EventSchemas::Registry PrescaleCampaignsSchemaRegistryBA8B9859',
  'AWS::Events::EventBus PrescaleEventsBus49CAE70B',
  'AWS::KMS::Key PrescaleNotificationsKeyAAE212AB',
  'AWS::Logs::LogGroup PrescaleRollingUpdatesLogs992101B7',
  'AWS::Logs::LogGroup PrescaleUpdatePlansLogs76713D53',
  'AWS::SQS::Queue PrescaleCampaignsRejectedEvents217165B5',
  'AWS::SQS::Queue PrescaleEventsUndeliveredUnmatchedEvents0A389A2C',
  'AWS::SQS::Queue PrescaleEventsUnmatchedEvents20D6E558',
  'AWS::SQS::Queue PrescaleInstanceTypesDailyDeadLettersC8759872',
  'AWS::SQS::Queue PrescaleRollingUpdatesRequestDeadLetters04C63ABA',
  'AWS::SQS::Queue PrescaleScalingLoopScheduleDeadLetters2256EA78',
  'AWS::SQS::Queue PrescaleScalingLoopWorkDeadLetters0BC0F563',
  'AWS::SQS::Queue PrescaleScalingLoopWorkQueue66AC3F83',
  'AWS::SQS::Queue PrescaleUpdatePlansRequestsRequestDeadLettersED2A7326',
  'AWS::Scheduler::ScheduleGroup PrescaleCampaignsSchedulesA5D139B2',
  'AWS::Scheduler::ScheduleGroup PrescaleRecurringSchedules0D822CBF',
  'AWS::StepFunctions::StateMachine PrescaleRollingUpdatesStateMachine91C75DCF',
  'AWS::StepFunctions::StateMachine PrescaleUpdatePlansStateMachine6137C20B',
  'Custom::PrescaleLookAheadCleanup PrescaleLookAheadCleanupB4CD72ED',
];

/** What `EVERY_OPTION` adds: the maintenance scan's schedule dead-letter queue. */
const PINNED_WITH_EVERY_OPTION = [
  ...PINNED_DEFAULT,
  'AWS::SQS::Queue PrescaleRollingUpdatesMaintenanceScheduleDeadLettersC4B81F72',
].sort();

const CONSEQUENCE =
  "a changed logical ID makes CloudFormation replace a stateful resource in users' stacks (construct ids and their parents set it): " +
  'the state table is orphaned and a new empty one created, running rolling updates and update plans are stopped with headroom raised and groups locked, ' +
  "pending campaign schedules and dead letters are lost. Keep the construct id and path; if the change is meant, add an upgrade note to docs/OPERATIONS.md's " +
  '"Upgrade notes" saying what is replaced and what to do before the deploy, then update the pin';

describe('logical IDs of stateful resources', () => {
  it.each([
    ['the default configuration', TEST_CONFIG, PINNED_DEFAULT],
    ['every optional stateful part on', EVERY_OPTION, PINNED_WITH_EVERY_OPTION],
  ])('stay as pinned with %s', (_name, config, pinned) => {
    const now = statefulLogicalIds(config);
    const changed =
      JSON.stringify(now) === JSON.stringify(pinned)
        ? []
        : [
            {
              consequence: CONSEQUENCE,
              gone: pinned.filter((id) => !now.includes(id)),
              added: now.filter((id) => !pinned.includes(id)),
              now,
            },
          ];
    expect(changed).toEqual([]);
  });
});
