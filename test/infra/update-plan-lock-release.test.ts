import { synthesizedTemplate } from '../helpers/build-test-app';
import { extractDefinition, namedError } from './rolling-update-harness';
import { type Outcome, settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { CONFIG_INPUT, GROUPS, PLAN, PlanWorld, T0 } from './update-plan-world';

const definition = extractDefinition(synthesizedTemplate(CONFIG_INPUT), 'PrescaleUpdatePlans');

function run(world: PlanWorld, handlers: ReturnType<PlanWorld['handlers']>): Promise<Outcome> {
  const execution = startUpdatePlan(
    definition,
    {
      groups: GROUPS.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
      maxConcurrentUpdates: 1,
      deadline: new Date(T0 + 6 * 3_600_000).toISOString(),
    },
    handlers,
    {
      name: PLAN,
      arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
      startTime: new Date(T0).toISOString(),
    },
  );
  return settleExecution(execution, world.entered);
}

/** A plan world whose lock Lambda takes its locks, then times out before releasing them in-process. */
function lockStepTimingOut() {
  const world = new PlanWorld();
  const handlers = world.handlers();
  const lock = handlers['Lock plan groups'] as (input: unknown) => Promise<unknown>;
  handlers['Lock plan groups'] = async (input) => {
    await lock(input);
    throw namedError('Sandbox.Timedout', 'Task timed out after 30.00 seconds');
  };
  return { world, handlers };
}

describe('UpdatePlanWorkflow plan locks', () => {
  it('releases the plan locks taken when locking the plan groups fails, then fails with the lock error', async () => {
    const { world, handlers } = lockStepTimingOut();
    const result = await run(world, handlers);
    expect(result).toMatchObject({ ok: false, error: 'Sandbox.Timedout' });
    expect(world.entered).toEqual(
      expect.arrayContaining(['Release plan locks', 'Could not lock plan groups']),
    );
    expect(world.children).toEqual([]);
    expect([...world.planStore.locks.values()]).toEqual([]);
  });

  it('notifies the operators when the plan locks could not be released after every slot succeeded', async () => {
    const world = new PlanWorld();
    const handlers = world.handlers();
    handlers['Release plan locks'] = async () => {
      throw namedError('Lambda.Unknown', 'release failed');
    };
    const result = await run(world, handlers);
    expect(result).toMatchObject({ ok: false, error: 'Lambda.Unknown' });
    // Not "undone": every group stays on its new version; only the locks stand.
    expect(world.published).toEqual([
      expect.objectContaining({ Subject: 'Prescale update plan locks not released' }),
    ]);
    expect(String(world.published[0]?.Message)).toMatch(
      /All 3 slot\(s\) done; then releasing the plan locks failed \(release failed\)/,
    );
    expect(world.entered).toContain('Plan locks not released');
    expect(world.entered).not.toContain('Plan completed');
    expect(world.entered).not.toContain('Plan undone');
  });

  it('notifies the operators of an undone plan whose locks could not be released: the release error, until when, which items', async () => {
    const world = new PlanWorld();
    world.childOutcome.set('api', 'fail');
    const handlers = world.handlers();
    handlers['Release plan locks'] = async () => {
      throw namedError('Lambda.Unknown', 'release failed');
    };
    const result = await run(world, handlers);
    // The plan's own failure, not the release's: its groups were undone.
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    expect(world.entered).toContain('Plan undone');
    expect(world.published).toEqual([expect.objectContaining({ Subject: 'Prescale update plan undone' })]);
    const message = String(world.published[0]?.Message);
    expect(message).toContain('Error: GroupUpdateFailed.');
    expect(message).toMatch(
      /\. Then releasing the plan locks failed \(Lambda\.Unknown: release failed\): the groups stay locked until \d+ \(epoch ms\), and rolling updates and plans of them are refused until then; delete their GROUP#<group> \/ PLAN items \(groups \["web","api","db"\]\) to free them sooner/,
    );
  });

  it('notifies the operators when the release after a failed lock step fails too, naming the lock error', async () => {
    const { world, handlers } = lockStepTimingOut();
    handlers['Release plan locks'] = async () => {
      throw namedError('Lambda.Unknown', 'release failed');
    };
    const result = await run(world, handlers);
    expect(result).toMatchObject({ ok: false, error: 'Lambda.Unknown' });
    expect(world.published).toEqual([
      expect.objectContaining({
        Subject: 'Prescale update plan locks not released',
        Message: expect.stringMatching(
          /Could not lock plan groups; then releasing the plan locks failed \(release failed\): the groups stay locked until \d+/,
        ),
      }),
    ]);
    expect(world.children).toEqual([]);
  });
});
