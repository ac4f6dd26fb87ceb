import { synthesizedTemplate } from '../helpers/build-test-app';
import { updatePlanDynamoActions } from '../helpers/update-plan-dynamo-actions';
import { extractDefinition } from './rolling-update-harness';
import { settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { CONFIG_INPUT, type Json, PLAN, PlanWorld, T0 } from './update-plan-world';

/*
 * The plan reads the groups' campaigns in "Read campaign calendar" (a Lambda of its own with the
 * DynamoDB client the planner does not bundle) and hands them to "Compute plan", whose forecasts
 * they raise: a slot over a sale the group's headroom cannot carry is not taken.
 */
const HOUR_MS = 3_600_000;
const template = synthesizedTemplate(CONFIG_INPUT);
const definition = extractDefinition(template, 'PrescaleUpdatePlans');
const states = definition.States as Record<string, Json>;

/** web alone to version 7 in hourly slots over six hours. */
const request = {
  groups: [{ groupName: 'web', launchTemplateVersion: '7' }],
  deadline: new Date(T0 + 6 * HOUR_MS).toISOString(),
};

/** A ×4 sale on web from now for two hours: its p90 480 needs 8 instances at 60, 7 stay healthy at MaxSize 8. */
async function scheduleSale(world: PlanWorld): Promise<void> {
  const outcome = await world.campaigns.schedule(
    {
      campaignId: 'friday-sale',
      version: 1,
      kind: 'sale',
      groupNames: ['web'],
      startMs: T0,
      endMs: T0 + 2 * HOUR_MS,
      rampUpSeconds: 0,
      expectedLoad: { kind: 'multiplier', factor: 4 },
      extraInstances: 0,
      expiresAtMs: T0 + 30 * 24 * HOUR_MS,
    },
    'event-1',
    T0 - 24 * HOUR_MS,
  );
  expect(outcome.kind).toBe('written');
}

/** Runs the plan on `world`; returns web's slot start and what "Compute plan" was given. */
async function runPlan(world: PlanWorld): Promise<{ slotStartMs: number; computeInput: Json }> {
  const handlers = world.handlers();
  const compute = handlers['Compute plan'] as (input: unknown) => Promise<unknown>;
  let computeInput: Json = {};
  handlers['Compute plan'] = async (input) => {
    computeInput = input as Json;
    return compute(input);
  };
  const execution = startUpdatePlan(definition, request, handlers, {
    name: PLAN,
    arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
    startTime: new Date(T0).toISOString(),
  });
  const outcome = await settleExecution(execution, world.entered);
  expect(outcome).toMatchObject({ ok: true });
  const slots = (outcome as unknown as { output: { slots: { startMs: number }[] } }).output.slots;
  expect(slots).toHaveLength(1);
  return { slotStartMs: slots[0]?.startMs as number, computeInput };
}

describe('UpdatePlanWorkflow and the campaign calendar', () => {
  it('reads the calendar first and hands it to "Compute plan", whose plan then replaces the state', () => {
    expect(definition.StartAt).toBe('Read campaign calendar');
    expect(states['Read campaign calendar']).toMatchObject({
      Type: 'Task',
      Parameters: { 'request.$': '$' },
      ResultPath: '$.calendar',
      Next: 'Compute plan',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Could not compute plan' }],
    });
    expect(states['Compute plan']).toMatchObject({
      Parameters: { 'request.$': '$$.Execution.Input', 'calendar.$': '$.calendar' },
      ResultSelector: { 'plan.$': '$' },
    });
    expect(states['Compute plan']).not.toHaveProperty('ResultPath');
  });

  it('lets read-plan-calendar alone query the calendar: Query and BatchGetItem, nothing else', () => {
    expect(updatePlanDynamoActions(template, 'readplancalendar')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
    ]);
    expect(updatePlanDynamoActions(template, 'computeupdateplan')).toEqual([]);
    expect(updatePlanDynamoActions(template, 'StateMachineRole')).toEqual(['dynamodb:PutItem']);
  });

  it("moves web's slot past a ×4 sale the calendar holds; the first slot without one", async () => {
    const quiet = await runPlan(new PlanWorld());
    expect(quiet.slotStartMs).toBe(T0);
    expect(quiet.computeInput.calendar).toMatchObject({
      campaigns: [],
      groups: [{ groupName: 'web', campaignIndexes: [] }],
    });

    const world = new PlanWorld();
    await scheduleSale(world);
    const sale = await runPlan(world);
    expect(world.entered.indexOf('Read campaign calendar')).toBeLessThan(
      world.entered.indexOf('Compute plan'),
    );
    expect(sale.computeInput.calendar).toMatchObject({
      campaigns: [
        { campaignId: 'friday-sale', startMs: T0, endMs: T0 + 2 * HOUR_MS, upliftSource: 'explicit' },
      ],
      groups: [{ groupName: 'web', campaignIndexes: [0] }],
    });
    // The request as sent, once: the calendar is beside it, not in it.
    expect(sale.computeInput.request).toEqual(request);
    expect(sale.slotStartMs).toBe(T0 + 2 * HOUR_MS);
  });
});
