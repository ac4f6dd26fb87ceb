import { Match } from 'aws-cdk-lib/assertions';
import { LAMBDA_THROTTLED } from '../../infra/constructs/rolling-update/workflow-tasks';
import { START_CHILD_TRANSIENT } from '../../infra/constructs/update-plan-children';
import { synthesizedTemplate } from '../helpers/build-test-app';
import { updatePlanDynamoActions } from '../helpers/update-plan-dynamo-actions';
import { extractDefinition, lambdaTasks } from './rolling-update-harness';
import { expectAllLocksReleased, planRunner, planRequest as request } from './update-plan-runs';
import { CONFIG_INPUT, GROUPS, type Json, PLAN, PlanWorld, T0, TARGET_LOAD } from './update-plan-world';

/**
 * The update-plan workflow's definition and infrastructure, and the plans that run through, defer
 * or are refused. Failures, undo, retries and cancels are in update-plan-failures.test.ts.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (d: unknown) => {
  isValid: boolean;
  errorsText: () => string;
};

// Only read: synthesized once a run for every update-plan file on CONFIG_INPUT.
const template = synthesizedTemplate(CONFIG_INPUT);
const definition = extractDefinition(template, 'PrescaleUpdatePlans');
const run = planRunner(definition);

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
    // A synth runs cdk-nag and throws on a finding; a synth that throws is never kept.
    expect(() => synthesizedTemplate(CONFIG_INPUT)).not.toThrow();
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
