import { LAMBDA_THROTTLED } from '../../infra/constructs/rolling-update/workflow-tasks';
import { ROLLED_OUT_ERROR } from '../../shared/contracts/rolling-update';
import { CHILD_DETAIL_NOT_CUT } from '../../shared/contracts/update-plan';
import { synthesizedTemplate } from '../helpers/build-test-app';
import { extractDefinition, namedError } from './rolling-update-harness';
import {
  expectAllLocksReleased,
  failingDecide,
  planRunner,
  planRequest as request,
} from './update-plan-runs';
import { CONFIG_INPUT, type Json, PLAN, PlanWorld } from './update-plan-world';

/**
 * The update plan run on its definition when something goes wrong: a group fails or is deleted
 * and the others are undone, a start or a decision fails transiently and is retried, a child's
 * name is taken, the plan is cancelled. The definition, its infrastructure and the plans that run
 * through or are refused are in update-plan-workflow.test.ts.
 */

const definition = extractDefinition(synthesizedTemplate(CONFIG_INPUT), 'PrescaleUpdatePlans');
const run = planRunner(definition);

describe('UpdatePlanWorkflow executions that fail, retry or are cancelled', () => {
  it('undoes slot 1 when a group fails in slot 2, notifies and fails with what was undone', async () => {
    const world = new PlanWorld();
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    world.childOutcome.set(slot2 as string, 'fail');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(
      `Slot 2: update ${slot2} failed with States.TaskFailed: RefreshFailed: instances failed health checks`,
    );
    expect(cause).toContain(`Undone: ${slot1} (back to v6 by ${PLAN}-undo-s1-${slot1})`);
    const revert = world.children.find((c) => c.name === `${PLAN}-undo-s1-${slot1}`);
    expect(revert?.input).toMatchObject({ groupName: slot1, launchTemplateVersion: '6', force: true });
    expect(world.children.map((c) => c.name)).toHaveLength(3);
    expect(world.published).toHaveLength(1);
    expect(String(world.published[0]?.Message)).toContain('Undone');
    expectAllLocksReleased(world);
  });

  it('undoes a group whose child rolled out before a later step failed, with the others', async () => {
    const world = new PlanWorld();
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    world.childOutcome.set(slot2 as string, 'rolled-out-needs-attention');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(`Slot 2: update ${slot2} failed with States.TaskFailed: ${ROLLED_OUT_ERROR}`);
    expect(cause).toContain(`${slot2} (back to v6 by ${PLAN}-undo-s2-${slot2})`);
    expect(cause).toContain(`${slot1} (back to v6 by ${PLAN}-undo-s1-${slot1})`);
    expect(world.children.map((c) => c.name)).toEqual([
      `${PLAN}-s1-${slot1}`,
      `${PLAN}-s2-${slot2}`,
      `${PLAN}-undo-s2-${slot2}`,
      `${PLAN}-undo-s1-${slot1}`,
    ]);
    expectAllLocksReleased(world);
  });

  it('lets the other groups’ updates stand when a group is deleted during its update, and names it', async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2, slot3] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'group-deleted');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    const output = (result as { output: Json }).output;
    expect(output.deleted).toEqual([{ groupName: slot2, slotIndex: 1, childName: `${PLAN}-s2-${slot2}` }]);
    expect(output.log).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Slot 2: update ${slot2}: Group deleted \\(GroupDeletedDuringUpdate: Auto Scaling group ${slot2} was deleted`,
        ),
      ),
    );
    // Nothing was reverted: slot 3 ran, and the groups updated stay on their new version.
    expect(world.children.map((c) => c.name)).toEqual([
      `${PLAN}-s1-${slot1}`,
      `${PLAN}-s2-${slot2}`,
      `${PLAN}-s3-${slot3}`,
    ]);
    expect(world.published).toEqual([]);
    expectAllLocksReleased(world);
  });

  it('names a group deleted during the plan when a later group fails, and reverts only the updated ones', async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2, slot3] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'group-deleted');
    world.childOutcome.set(slot3 as string, 'fail');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(`Undone: ${slot1} (back to v6 by ${PLAN}-undo-s1-${slot1}).`);
    expect(cause).toContain(`Deleted during the plan, neither updated nor undone: ${slot2}.`);
    expect(cause).not.toContain('NOT undone');
    expect(world.children.map((c) => c.name)).toEqual([
      `${PLAN}-s1-${slot1}`,
      `${PLAN}-s2-${slot2}`,
      `${PLAN}-s3-${slot3}`,
      `${PLAN}-undo-s1-${slot1}`,
    ]);
    expect(String(world.published[0]?.Message)).toContain(
      `Deleted during the plan, neither updated nor undone: ${slot2}`,
    );
    expectAllLocksReleased(world);
  });

  it('counts a group deleted before its revert as having nothing to undo, not as needing attention', async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'fail');
    world.revertOutcome.set(slot1 as string, 'group-deleted');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(`Deleted before its revert, nothing to undo: ${slot1}.`);
    expect(cause).not.toContain('NOT undone');
    expect(world.entered).toContain('Revert failed');
    expectAllLocksReleased(world);
  });

  it('reverts a failed group whose report could not be cut, as possibly rolled out, and says so', async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'fail');
    const handlers = world.handlers();
    handlers['Cut group report'] = async () => {
      throw namedError('Lambda.ServiceException', 'Lambda is unavailable');
    };
    const result = await run(world, request(), handlers);
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    expect(world.entered).toContain('Group report not cut');
    const reverted = world.children.filter((c) => c.input.force).map((c) => String(c.input.groupName));
    expect(reverted).toEqual([slot2, slot1]);
    expect(String(world.published[0]?.Message)).toContain(CHILD_DETAIL_NOT_CUT);
    expectAllLocksReleased(world);
  });

  it('retries a throttled decision and completes the plan', async () => {
    const world = new PlanWorld();
    let throttles = 0;
    const handlers = failingDecide(
      world,
      LAMBDA_THROTTLED,
      (step) => step?.action === 'run-slot' && throttles++ === 0,
    );
    const result = await run(world, request(), handlers);
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(throttles).toBeGreaterThan(1);
    expect(world.children.map((c) => c.name)).toEqual(
      world.children.map((c, i) => `${PLAN}-s${i + 1}-${c.input.groupName}`),
    );
    expectAllLocksReleased(world);
  });

  it('starts a child again after a transient start error, forward and undo, and never a failed child', async () => {
    const world = new PlanWorld();
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    world.childOutcome.set(slot2 as string, 'fail');
    const handlers = world.handlers();
    const starts: string[] = [];
    // Each state's first start is refused as a busy account or a throttled API would refuse it.
    for (const [state, error] of [
      // The name AWS's nested-workflow example retries.
      ['Update group', 'StepFunctions.ExecutionLimitExceeded'],
      ['Revert group', 'StepFunctions.AWSStepFunctionsException'],
    ] as const) {
      const child = handlers[state] as (input: unknown) => Promise<unknown>;
      let refused = false;
      handlers[state] = async (input) => {
        starts.push(`${state}: ${(input as { Name: string }).Name}`);
        if (refused) return child(input);
        refused = true;
        throw namedError(error, 'Rate exceeded');
      };
    }
    const result = await run(world, request(), handlers);
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    expect((result as { cause: string }).cause).toContain(
      `Undone: ${slot1} (back to v6 by ${PLAN}-undo-s1-${slot1})`,
    );
    expect(starts).toEqual([
      `Update group: ${PLAN}-s1-${slot1}`,
      `Update group: ${PLAN}-s1-${slot1}`,
      `Update group: ${PLAN}-s2-${slot2}`,
      `Revert group: ${PLAN}-undo-s1-${slot1}`,
      `Revert group: ${PLAN}-undo-s1-${slot1}`,
    ]);
    expectAllLocksReleased(world);
  });

  it('reads a child whose start landed, answered 5xx and ended before the retry, and reports it as it ended', async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'fail');
    const handlers = world.handlers();
    // Every first start runs its child to its end, then answers 5xx; its retry finds the name
    // taken by that ended execution (StartExecution: ExecutionAlreadyExists on a closed one).
    const ended = new Map<string, Json>();
    const reads: string[] = [];
    for (const state of ['Update group', 'Revert group']) {
      const child = handlers[state] as (input: unknown) => Promise<unknown>;
      handlers[state] = async (input) => {
        const { Name } = input as { Name: string };
        if (ended.has(Name))
          throw namedError('StepFunctions.ExecutionAlreadyExistsException', 'Execution Already Exists');
        const ExecutionArn = `arn:aws:states:eu-west-1:123456789012:execution:RollingUpdates:${Name}`;
        try {
          const result = (await child(input)) as { Output: Json };
          ended.set(Name, { ExecutionArn, Status: 'SUCCEEDED', Output: JSON.stringify(result.Output) });
        } catch (error) {
          const failure = JSON.parse((error as Error).message) as Json;
          ended.set(Name, { ExecutionArn, Status: 'FAILED', Error: failure.error, Cause: failure.cause });
        }
        throw namedError('StepFunctions.AWSStepFunctionsException', 'Service Unavailable (Status Code: 503)');
      };
    }
    // DescribeExecution on the rolling-update state machine's execution of that name (its Ref
    // stands in for its name here).
    for (const state of ['Read group update already started', 'Read revert already started']) {
      handlers[state] = async (input) => {
        const arn = (input as { ExecutionArn: string }).ExecutionArn;
        expect(arn).toMatch(
          /^arn:aws:states:eu-west-1:123456789012:execution:PrescaleRollingUpdatesStateMachine[0-9A-F]+:[^:]+$/,
        );
        const name = arn.split(':').pop() as string;
        reads.push(name);
        const described = ended.get(name);
        if (!described)
          throw namedError('Sfn.ExecutionDoesNotExistException', `Execution Does Not Exist: '${arn}'`);
        return described;
      };
    }
    const result = await run(world, request(), handlers);
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(
      `Slot 2: update ${slot2} failed with States.TaskFailed: RefreshFailed: instances failed health checks`,
    );
    expect(cause).toContain(`Undone: ${slot1} (back to v6 by ${PLAN}-undo-s1-${slot1})`);
    expect(cause).not.toContain('NOT undone');
    expect(reads).toEqual([`${PLAN}-s1-${slot1}`, `${PLAN}-s2-${slot2}`, `${PLAN}-undo-s1-${slot1}`]);
    // Each child ran once.
    expect(world.children.map((c) => c.name)).toEqual(reads);
    expectAllLocksReleased(world);
  });

  it('reverts the groups already updated when the decision keeps failing, then notifies', async () => {
    const world = new PlanWorld();
    const handlers = failingDecide(world, 'Lambda.Unknown', (step) => step?.action !== undefined);
    const result = await run(world, request(), handlers);
    expect(result).toMatchObject({ ok: false, error: 'Lambda.Unknown' });
    const [slot1] = world.children.map((c) => String(c.input.groupName));
    expect(world.children.map((c) => c.name)).toEqual([`${PLAN}-s1-${slot1}`, `${PLAN}-undo-s1-${slot1}`]);
    // Replacing only the instances not on the previous version: a group of the slot the failed
    // decision did not read, but never updated (deferred, say), has nothing replaced.
    expect(world.children[0]?.input).toMatchObject({ force: false, skipMatching: false });
    expect(world.children[1]?.input).toMatchObject({
      groupName: slot1,
      launchTemplateVersion: '6',
      force: true,
      skipMatching: true,
    });
    expect(world.entered).toContain('Undo after decision failure');
    expect(world.published).toHaveLength(1);
    expect(String(world.published[0]?.Message)).toContain('could not decide its next step');
    expectAllLocksReleased(world);
  });

  it('undoes what was updated when the plan is cancelled mid-plan', async () => {
    const world = new PlanWorld();
    world.onChildEnd = async (name) => {
      if (name.includes('-s1-'))
        await world.planStore.requestCancel(PLAN, { reason: 'change freeze', requestedAtMs: world.nowMs });
    };
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'PlanCancelled' });
    expect((result as { cause: string }).cause).toContain('change freeze');
    expect(world.children.map((c) => c.name.replace(/-(web|api|db)$/, ''))).toEqual([
      `${PLAN}-s1`,
      `${PLAN}-undo-s1`,
    ]);
    expectAllLocksReleased(world);
  });

  it('keeps a cancel recorded between a plan record that took effect and its retry, and undoes', async () => {
    const world = new PlanWorld();
    const handlers = world.handlers();
    const record = handlers['Record plan'] as (input: unknown) => Promise<unknown>;
    let attempts = 0;
    // The first write takes effect, the cancel lands on it, and DynamoDB answers the write 500.
    handlers['Record plan'] = async (input) => {
      attempts += 1;
      const answer = await record(input);
      if (attempts > 1) return answer;
      await world.planStore.requestCancel(PLAN, { reason: 'change freeze', requestedAtMs: world.nowMs });
      throw namedError('DynamoDB.InternalServerErrorException', 'Internal server error');
    };
    const result = await run(world, request(), handlers);
    expect(attempts).toBe(2);
    expect(result).toMatchObject({ ok: false, error: 'PlanCancelled' });
    expect((result as { cause: string }).cause).toContain('change freeze');
    expect(world.children).toEqual([]);
    expectAllLocksReleased(world);
  });
});
