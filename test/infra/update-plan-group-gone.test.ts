import { synthesizedTemplate } from '../helpers/build-test-app';
import { extractDefinition, namedError, RollingUpdateWorld } from './rolling-update-harness';
import { runRollingUpdate, settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { CONFIG_INPUT, GROUPS, type Json, PLAN, PlanWorld, T0 } from './update-plan-world';

const template = synthesizedTemplate(CONFIG_INPUT);
const planDefinition = extractDefinition(template, 'PrescaleUpdatePlans');
const childDefinition = extractDefinition(template);

const request = {
  groups: GROUPS.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
  maxConcurrentUpdates: 1,
  deadline: new Date(T0 + 6 * 3_600_000).toISOString(),
};

function run(world: PlanWorld, handlers: ReturnType<PlanWorld['handlers']>) {
  const execution = startUpdatePlan(planDefinition, request, handlers, {
    name: PLAN,
    arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
    startTime: new Date(T0).toISOString(),
  });
  return settleExecution(execution, world.entered);
}

/**
 * The world's handlers, but the child of `group` in `state` (an update or a revert) runs the
 * synthesized rolling-update workflow on the real use cases, under the plan's locks, with its group
 * deleted before the child started; it ends as `startExecution.sync:2` reports a child: its output, or
 * States.TaskFailed with the child's end.
 */
function deletedBeforeItsChild(
  world: PlanWorld,
  group: string,
  state: 'Update group' | 'Revert group' = 'Update group',
) {
  const handlers = world.handlers();
  const update = handlers[state] as (input: unknown) => Promise<unknown>;
  const entered: string[][] = [];
  handlers[state] = async (raw) => {
    const { Name, Input } = raw as { Name: string; Input: Json };
    if (Input.groupName !== group) return update(raw);
    world.children.push({ name: Name, input: Input });
    const child = new RollingUpdateWorld();
    // The plan's locks are in the one state table its children read.
    for (const lock of world.planStore.locks.values()) await child.planStore.acquirePlanLock(lock);
    child.scalingTarget.groups.delete('web');
    const outcome = await runRollingUpdate(childDefinition, child, Input);
    entered.push(child.entered);
    if (outcome.ok) return { ExecutionArn: `arn:…:${Name}`, Output: outcome.output };
    throw namedError(
      'States.TaskFailed',
      JSON.stringify({ status: 'FAILED', error: outcome.error, cause: outcome.cause }),
    );
  };
  return { handlers, entered };
}

describe('UpdatePlanWorkflow with a group deleted before its child started', () => {
  it('names the group as deleted, not failed, and lets the other groups’ updates stand', async () => {
    const planned = new PlanWorld();
    await run(planned, planned.handlers());
    const [slot1, slot2, slot3] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    const { handlers, entered } = deletedBeforeItsChild(world, slot2 as string);
    const result = await run(world, handlers);
    // The child ended without touching anything, on the Error a plan reads as the group's deletion.
    expect(entered).toEqual([
      ['Validate request', 'Is the request valid?', 'Request rejected: group no longer exists'],
    ]);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    const output = (result as { output: Json }).output;
    expect(output.deleted).toEqual([{ groupName: slot2, slotIndex: 1, childName: `${PLAN}-s2-${slot2}` }]);
    expect(output.log).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Slot 2: update ${slot2}: Group deleted \\(GroupNoLongerExists: Auto Scaling group ${slot2} no longer exists`,
        ),
      ),
    );
    expect(world.children.map((c) => c.name)).toEqual([
      `${PLAN}-s1-${slot1}`,
      `${PLAN}-s2-${slot2}`,
      `${PLAN}-s3-${slot3}`,
    ]);
    expect(world.published).toEqual([]);
    expect([...world.planStore.locks.values()]).toEqual([]);
  });

  it('counts a group deleted before its revert as having nothing to undo, not as needing attention', async () => {
    const planned = new PlanWorld();
    await run(planned, planned.handlers());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'fail');
    const { handlers, entered } = deletedBeforeItsChild(world, slot1 as string, 'Revert group');
    const result = await run(world, handlers);
    expect(entered).toEqual([
      ['Validate request', 'Is the request valid?', 'Request rejected: group no longer exists'],
    ]);
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(`Deleted before its revert, nothing to undo: ${slot1}.`);
    expect(cause).not.toContain('NOT undone');
    expect([...world.planStore.locks.values()]).toEqual([]);
  });
});
