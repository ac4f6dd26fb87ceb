import { synthesizedTemplate } from '../helpers/build-test-app';
import { extractDefinition } from './rolling-update-harness';
import { type Outcome, settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { CONFIG_INPUT, GROUPS, type Json, PLAN, PlanWorld, T0 } from './update-plan-world';

// A plan runs up to 48 hours, then may undo: its groups' owners keep deploying meanwhile.
const definition = extractDefinition(synthesizedTemplate(CONFIG_INPUT), 'PrescaleUpdatePlans');

function run(world: PlanWorld, input: Json): Promise<Outcome> {
  const execution = startUpdatePlan(definition, input, world.handlers(), {
    name: PLAN,
    arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
    startTime: new Date(T0).toISOString(),
  });
  return settleExecution(execution, world.entered);
}

const request = () => ({
  groups: GROUPS.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
  maxConcurrentUpdates: 1,
  deadline: new Date(T0 + 6 * 3_600_000).toISOString(),
});

/** The groups of slots 1 and 2, in the order the plan updates them. */
async function slotGroups(): Promise<[string, string]> {
  const planned = new PlanWorld();
  await run(planned, request());
  const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
  return [slot1 as string, slot2 as string];
}

describe('UpdatePlanWorkflow and its groups’ owners', () => {
  it('leaves alone a group its owner moved to v8 after the plan updated it, when a later slot fails', async () => {
    const [slot1, slot2] = await slotGroups();
    const world = new PlanWorld();
    world.childOutcome.set(slot2, 'fail');
    // Once the plan put slot 1's group on v7, its owner's pipeline deploys v8.
    world.onChildEnd = async (name) => {
      if (name === `${PLAN}-s1-${slot1}`) world.putOnVersion(slot1, '8');
    };
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const revert = world.children.find((c) => c.name === `${PLAN}-undo-s1-${slot1}`);
    expect(revert?.input).toMatchObject({
      launchTemplateVersion: '6',
      expectedLaunchTemplate: { id: 'lt-1', versions: ['7', '6'] },
    });
    const cause = (result as { cause: string }).cause;
    expect(cause).not.toContain('Undone:');
    expect(cause).toContain(
      `Changed by its owner since the plan touched it, left alone, needs attention: ${slot1} (GroupChangedSincePlan: group ${slot1} runs version 8 of lt-1 now, not version 7 or 6 of lt-1 as the update plan expects`,
    );
    expect(world.scalingTarget.groups.get(slot1)?.launchTemplate).toEqual({ id: 'lt-1', version: '8' });
  });

  it("updates no group its owner changed before its slot, and reverts only the plan's own updates", async () => {
    const [slot1, slot2] = await slotGroups();
    const world = new PlanWorld();
    // While slot 1 runs, slot 2's owner switches that group to another template.
    world.onChildEnd = async (name) => {
      if (name === `${PLAN}-s1-${slot1}`) world.putOnVersion(slot2, '3', 'lt-9');
    };
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(
      `Slot 2: update ${slot2} failed with States.TaskFailed: GroupChangedSincePlan: group ${slot2} launches from lt-9 now, not version 6 of lt-1`,
    );
    expect(cause).toContain(`Undone: ${slot1} (back to v6 by ${PLAN}-undo-s1-${slot1})`);
    expect(world.children.map((c) => c.name)).toEqual([
      `${PLAN}-s1-${slot1}`,
      `${PLAN}-s2-${slot2}`,
      `${PLAN}-undo-s1-${slot1}`,
    ]);
    expect(world.scalingTarget.groups.get(slot2)?.launchTemplate).toEqual({ id: 'lt-9', version: '3' });
    expect(world.scalingTarget.groups.get(slot1)?.launchTemplate).toEqual({ id: 'lt-1', version: '6' });
  });
});
