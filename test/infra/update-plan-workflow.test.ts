import { Match } from 'aws-cdk-lib/assertions';
import { LAMBDA_THROTTLED } from '../../infra/constructs/rolling-update/workflow-tasks';
import { START_CHILD_TRANSIENT } from '../../infra/constructs/update-plan-children';
import { ROLLED_OUT_ERROR } from '../../shared/contracts/rolling-update';
import { CHILD_DETAIL_NOT_CUT } from '../../shared/contracts/update-plan';
import { buildTestApp } from '../helpers/build-test-app';
import { updatePlanDynamoActions } from '../helpers/update-plan-dynamo-actions';
import { extractDefinition, lambdaTasks, namedError } from './rolling-update-harness';
import { type Outcome, settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { CONFIG_INPUT, GROUPS, type Json, PLAN, PlanWorld, T0, TARGET_LOAD } from './update-plan-world';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (d: unknown) => {
  isValid: boolean;
  errorsText: () => string;
};

const { app, template: getTemplate } = buildTestApp(CONFIG_INPUT);
const template = getTemplate();
const definition = extractDefinition(template, 'PrescaleUpdatePlans');

function run(world: PlanWorld, input: Json, handlers = world.handlers()): Promise<Outcome> {
  const execution = startUpdatePlan(definition, input, handlers, {
    name: PLAN,
    arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
    startTime: new Date(T0).toISOString(),
  });
  return settleExecution(execution, world.entered);
}

const request = (extra: Json = {}) => ({
  groups: GROUPS.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
  maxConcurrentUpdates: 1,
  deadline: new Date(T0 + 6 * 3_600_000).toISOString(),
  ...extra,
});

/** The world's handlers with "Decide next plan step" failing with `error` after the steps `failAfter` picks. */
function failingDecide(world: PlanWorld, error: string, failAfter: (step: Json | undefined) => boolean) {
  const handlers = world.handlers();
  const decide = handlers['Decide next plan step'] as (input: unknown) => Promise<unknown>;
  handlers['Decide next plan step'] = async (input) => {
    if (failAfter((input as { step?: Json }).step)) throw namedError(error, 'Rate Exceeded.');
    return decide(input);
  };
  return handlers;
}

function expectAllLocksReleased(world: PlanWorld) {
  expect([...world.planStore.locks.values()]).toEqual([]);
}

describe('UpdatePlanWorkflow definition', () => {
  it('is valid Amazon States Language', () => {
    const result = aslValidator(definition);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('retries throttling on each of its Lambda tasks', () => {
    const tasks = lambdaTasks(definition);
    expect(tasks.map(([name]) => name).sort()).toEqual([
      'Compute plan',
      'Cut group report',
      'Cut revert report',
      'Decide next plan step',
      'Lock plan groups',
      'Read campaign calendar',
      'Release plan locks',
    ]);
    for (const [, task] of tasks) {
      expect(task.Retry).toContainEqual(expect.objectContaining({ ErrorEquals: [LAMBDA_THROTTLED] }));
    }
  });

  it('runs children with startExecution.sync:2, linked to the parent and named per plan, slot and group', () => {
    const states = JSON.stringify(definition);
    expect(states).toContain('arn:aws:states:::states:startExecution.sync:2');
    const runSlot = (definition.States as Json)['Run slot'] as {
      MaxConcurrency: number;
      ItemProcessor: { States: Json };
    };
    expect(runSlot.MaxConcurrency).toBe(2);
    expect(runSlot).toMatchObject({
      ItemSelector: { 'step.$': '$.step.label', 'label.$': '$$.Map.Item.Value.label' },
    });
    expect(runSlot.ItemProcessor.States['Update group']).toMatchObject({
      Parameters: {
        'Name.$': '$.childName',
        Input: {
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
          'planExecutionName.$': '$.input.planExecutionName',
        },
      },
    });
  });

  it("retries a child's start on transient Step Functions errors only, never a child that failed", () => {
    const runSlot = (definition.States as Json)['Run slot'] as { ItemProcessor: { States: Json } };
    const undo = Object.values(
      definition.States as Record<string, { ItemProcessor?: { States: Json } }>,
    ).find((state) => state.ItemProcessor?.States['Revert group']);
    for (const child of [
      runSlot.ItemProcessor.States['Update group'],
      undo?.ItemProcessor?.States['Revert group'],
    ]) {
      const retry = (child as { Retry: { ErrorEquals: string[]; JitterStrategy: string }[] }).Retry;
      expect(retry).toEqual([
        expect.objectContaining({ ErrorEquals: [...START_CHILD_TRANSIENT], JitterStrategy: 'FULL' }),
      ]);
    }
  });
});

describe('UpdatePlanWorkflow infrastructure', () => {
  it('passes cdk-nag for the whole stack', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('grants the parent exactly what startExecution.sync needs on the rolling-update workflow', () => {
    const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
      id.startsWith('PrescaleUpdatePlansStateMachineRole'),
    );
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roles[0] as string))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const byAction = (a: string) => statements.filter((s) => [s.Action].flat().includes(a));
    expect(byAction('states:StartExecution').length).toBeGreaterThan(0);
    expect(byAction('events:PutRule').length).toBeGreaterThan(0);
    for (const s of byAction('states:StartExecution')) {
      expect(JSON.stringify(s.Resource)).toMatch(/^\{"Ref":"PrescaleRollingUpdatesStateMachine[0-9A-F]+"\}$/);
    }
    for (const s of byAction('events:PutRule')) {
      expect(JSON.stringify(s.Resource)).toContain(
        'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
      );
    }
    expect(statements.some((s) => [s.Action].flat().some((a) => a.startsWith('autoscaling:')))).toBe(false);
  });

  it('grants each plan function exactly the state-table actions it calls', () => {
    expect(updatePlanDynamoActions(template, 'lockupdateplan')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    expect(updatePlanDynamoActions(template, 'releaseupdateplan')).toEqual(['dynamodb:DeleteItem']);
    expect(updatePlanDynamoActions(template, 'advanceupdateplan')).toEqual(['dynamodb:GetItem']);
    expect(updatePlanDynamoActions(template, 'Requestscancelupdateplan')).toEqual(['dynamodb:UpdateItem']);
    expect(updatePlanDynamoActions(template, 'computeupdateplan')).toEqual([]);
  });

  // Which events reach request-update-plan and cancel-update-plan is run, not read: the deploy
  // matrix and test/architecture/documented-put-events.test.ts put them on the deployed bus.
  it('retries the plan and cancel rules’ deliveries, with a dead-letter queue', () => {
    for (const receiver of ['requestupdateplanFunction', 'cancelupdateplanFunction']) {
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(receiver), 'Arn'] },
            DeadLetterConfig: Match.anyValue(),
            RetryPolicy: Match.anyValue(),
          }),
        ],
      });
    }
  });
});

describe('UpdatePlanWorkflow executions', () => {
  it('runs three slots in dependency order and succeeds with the plan and its rejected alternatives', async () => {
    const world = new PlanWorld();
    const result = await run(world, request());
    expect(result.ok).toBe(true);
    const output = (result as { output: Json }).output;
    expect(output.status).toBe('Succeeded');
    expect((output.summary as string[]).length).toBe(3);
    expect((output.rejected as unknown[]).length).toBeGreaterThan(0);
    expect(world.children.map((c) => c.name)).toEqual(
      world.children.map((c, i) => `${PLAN}-s${i + 1}-${c.input.groupName}`),
    );
    expect(new Set(world.children.map((c) => c.input.groupName))).toEqual(new Set(GROUPS));
    expect(world.children.every((c) => c.input.planExecutionName === PLAN && c.input.force === false)).toBe(
      true,
    );
    expect(world.entered).toContain('Wait for the next slot');
    expect(output.log).toEqual(
      world.children.map(
        (c, i) =>
          `Slot ${i + 1}: update ${c.input.groupName}: Succeeded [arn:aws:states:eu-west-1:123456789012:execution:RollingUpdates:${c.name}]`,
      ),
    );
    expect(world.published).toEqual([]);
    expectAllLocksReleased(world);
  });

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

  it("reports a child deferred by a hold with the child's own reason, not as a missing window", async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const slot2 = String(planned.children[1]?.input.groupName);
    const world = new PlanWorld();
    world.childOutcome.set(slot2, 'held');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateDeferred' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(
      `Slot 2: update ${slot2} deferred: held: group ${slot2} is paused by its prescale:paused tag`,
    );
    expect(cause).not.toContain('no low-load window before the end of its slot');
    expect(world.entered).toContain('Group held');
    expect(String(world.published[0]?.Message)).toContain(`held: group ${slot2} is paused`);
    expectAllLocksReleased(world);
  });

  it("reports a revert deferred by a hold with the revert's own reason", async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const [slot1, slot2] = planned.children.map((c) => String(c.input.groupName));
    const world = new PlanWorld();
    world.childOutcome.set(slot2 as string, 'fail');
    world.revertOutcome.set(slot1 as string, 'held');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateFailed' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain(`held: group ${slot1} is paused by its prescale:paused tag`);
    expect(cause).not.toContain('the revert found no window before its deadline');
    expect(world.entered).toContain('Revert held');
    expectAllLocksReleased(world);
  });

  it('reports a child deferred for want of a window as no window before the end of its slot', async () => {
    const planned = new PlanWorld();
    await run(planned, request());
    const slot2 = String(planned.children[1]?.input.groupName);
    const world = new PlanWorld();
    world.childOutcome.set(slot2, 'defer');
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'GroupUpdateDeferred' });
    expect((result as { cause: string }).cause).toContain(
      `Slot 2: update ${slot2} deferred: no low-load window before the end of its slot`,
    );
    expect(world.entered).not.toContain('Group held');
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

  it('replaces the record of an earlier execution of the same name, and its cancel', async () => {
    const world = new PlanWorld();
    // Names are free again 90 days after an execution ends; its record may be kept longer.
    world.planStore.plans.set(PLAN, { reason: 'an old cancel', requestedAtMs: T0 - 100 * 86_400_000 });
    world.recordStartedAt.set(PLAN, new Date(T0 - 100 * 86_400_000).toISOString());
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: true, output: { status: 'Succeeded' } });
    expect(world.recordStartedAt.get(PLAN)).toBe(new Date(T0).toISOString());
    expect(world.children).toHaveLength(3);
  });

  it('refuses a plan when no slot before the deadline fits, with the reasons, touching nothing', async () => {
    const world = new PlanWorld();
    world.load = 8 * TARGET_LOAD;
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'UpdatePlanRefused' });
    const cause = (result as { cause: string }).cause;
    expect(cause).toContain('no plan fits the 6 slot(s)');
    expect(cause).toContain('no slot keeps enough healthy capacity');
    expect(world.children).toEqual([]);
    expectAllLocksReleased(world);
  });

  it("refuses slots shorter than a group's estimated refresh instead of undoing itself with SlotMissed", async () => {
    const world = new PlanWorld();
    // Each child takes 35 minutes: past a 15-minute slot 2's end, were slot 1 allowed to run.
    world.onChildEnd = async () => {
      world.nowMs += 15 * 60_000;
    };
    const result = await run(world, request({ slotMinutes: 15 }));
    expect(result).toMatchObject({ ok: false, error: 'UpdatePlanRefused' });
    expect((result as { cause: string }).cause).toMatch(
      /slotMinutes 15 is shorter than the estimated refresh of group (web|api|db), 28 minutes/,
    );
    expect(world.children).toEqual([]);
    expectAllLocksReleased(world);
  });

  it('refuses a duplicate plan for groups another plan holds, and leaves that plan alone', async () => {
    const world = new PlanWorld();
    const other = {
      groupName: 'api',
      holder: 'plan-earlier',
      acquiredAtMs: T0 - 60_000,
      expiresAtMs: T0 + 86_400_000,
    };
    await world.planStore.acquirePlanLock(other);
    const result = await run(world, request());
    expect(result).toMatchObject({ ok: false, error: 'UpdatePlanLocked' });
    expect((result as { cause: string }).cause).toContain('api belongs to update plan plan-earlier');
    expect([...world.planStore.locks.values()]).toEqual([other]);
    expect(world.children).toEqual([]);
  });
});
