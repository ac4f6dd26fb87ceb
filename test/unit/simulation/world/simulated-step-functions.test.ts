import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { StepFunctionsWorkflowStarter } from '../../../../shared/aws/step-functions-workflow-starter';
import { executionName } from '../../../../shared/core/rolling-update/execution-name';
import { UnsupportedCommandError } from '../../../../shared/simulation/world/simulated-aws-error';
import {
  EXECUTION_NAME_RETENTION_MS,
  SimulatedStepFunctions,
} from '../../../../shared/simulation/world/simulated-step-functions';
import { HOUR, ROLLING_UPDATE_MACHINE, START, sideServicesWorld } from '../../../helpers/side-services-world';

afterEach(() => overrideAwsTransport(undefined));

describe('the simulated Step Functions', () => {
  it('starts an execution once per name, and refuses the name with another input', async () => {
    const { world, clients } = sideServicesWorld();
    world.services.stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
    const start = (input: string) =>
      clients.sfn.send(
        new StartExecutionCommand({ stateMachineArn: ROLLING_UPDATE_MACHINE, name: 'run-1', input }),
      );
    const first = await start('{"a":1}');
    await expect(start('{"a":1}')).resolves.toMatchObject({ executionArn: first.executionArn });
    await expect(start('{"a":2}')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(world.services.stepFunctions.executions).toHaveLength(1);
  });

  it("refuses a closed execution's name whatever the input, until 90 days after it closed", () => {
    let nowMs = START;
    const stepFunctions = new SimulatedStepFunctions(() => nowMs);
    stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
    const start = (input: string) =>
      stepFunctions.answer('StartExecutionCommand', {
        stateMachineArn: ROLLING_UPDATE_MACHINE,
        name: 'run-1',
        input,
      }) as {
        executionArn: string;
      };
    const { executionArn } = start('{"a":1}');
    nowMs += HOUR;
    stepFunctions.closeExecution(executionArn);
    expect(stepFunctions.executions[0]).toMatchObject({ stopMs: START + HOUR });
    expect(() => start('{"a":1}')).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(() => start('{"a":2}')).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    nowMs = START + HOUR + EXECUTION_NAME_RETENTION_MS - 1;
    expect(() => start('{"a":1}')).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    nowMs += 1;
    expect(start('{"a":2}').executionArn).toBe(executionArn);
    expect(stepFunctions.executions.map((e) => [e.input, e.stopMs])).toEqual([
      ['{"a":1}', START + HOUR],
      ['{"a":2}', undefined],
    ]);
    expect(() => stepFunctions.closeExecution(`${executionArn}-other`)).toThrow(/no running execution/);
  });

  it('refuses an execution name with a character Step Functions forbids, and takes every other', () => {
    const stepFunctions = new SimulatedStepFunctions(() => START);
    stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
    const start = (name: string) =>
      stepFunctions.answer('StartExecutionCommand', {
        stateMachineArn: ROLLING_UPDATE_MACHINE,
        name,
        input: '{}',
      });
    for (const bad of ['a b', 'a\tb', 'svc.a/b', 'a:b', 'a$b', 'a[1]', 'a*', 'a\u0007', 'a\u0085', 'a\ud800'])
      expect(() => start(bad)).toThrow(expect.objectContaining({ name: 'InvalidName' }));
    for (const good of ['web-v7_20260302T0100', 'svc.a', 'grüße', 'a+b=c@d', 'emoji-😀'])
      expect(() => start(good)).not.toThrow();
  });

  it('tells the starter a redelivery from another request under a taken name, running or closed, and whose request holds it', async () => {
    const { world, clients } = sideServicesWorld();
    const machines = world.services.stepFunctions;
    machines.createStateMachine(ROLLING_UPDATE_MACHINE);
    const starter = new StepFunctionsWorkflowStarter(clients.sfn, ROLLING_UPDATE_MACHINE);
    const first = await starter.start('web-v7-20260302T0100', { groupName: 'web' });
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web' })).toMatchObject({
      kind: 'started',
    });
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web', force: true })).toEqual({
      kind: 'conflict',
      executionName: 'web-v7-20260302T0100',
      executionArn: first.executionArn,
      existingStatus: 'RUNNING',
      existingInput: { groupName: 'web' },
    });
    machines.closeExecution(first.executionArn, 'FAILED');
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web' })).toMatchObject({
      kind: 'already-started',
      existingStatus: 'FAILED',
    });
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web', force: true })).toMatchObject({
      kind: 'conflict',
      existingStatus: 'FAILED',
    });
    expect(machines.executions).toHaveLength(1);
  });

  it('starts one rolling update for each of two groups whose names clean alike (svc.a, svc-a)', async () => {
    const { world, clients } = sideServicesWorld();
    world.services.stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
    const starter = new StepFunctionsWorkflowStarter(clients.sfn, ROLLING_UPDATE_MACHINE);
    const names = ['svc.a', 'svc-a'].map((group) => executionName(group, '3', START));
    const starts = [];
    for (const [i, name] of names.entries()) starts.push(await starter.start(name, { group: i }));
    expect(starts.map((s) => s.kind)).toEqual(['started', 'started']);
    expect(await starter.start(names[0] as string, { group: 0 })).toMatchObject({ kind: 'started' });
    expect(world.services.stepFunctions.executions).toHaveLength(2);
  });

  it("rolls out a replaced launch template's restarted version, after the old one's rollout closed", async () => {
    const { world, clients } = sideServicesWorld();
    world.services.stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
    const applier = new AutoScalingInstanceTypeApplier(clients, ROLLING_UPDATE_MACHINE);
    const rollout = (launchTemplateId: string) =>
      applier.startRollingUpdate({
        groupName: 'web',
        launchTemplateId,
        launchTemplateVersion: '2',
        reason: 'instance-type-change',
      });
    const first = await rollout('lt-0a1b2c3d4e5f60718');
    await expect(rollout('lt-0a1b2c3d4e5f60718')).resolves.toEqual(first);
    world.services.stepFunctions.closeExecution(first.executionArn, 'FAILED');
    // The same rollout asked again once it has closed (a redelivered selection run): read, not failed.
    await expect(rollout('lt-0a1b2c3d4e5f60718')).resolves.toEqual({
      ...first,
      kind: 'already-started',
      existingStatus: 'FAILED',
    });
    const replaced = await rollout('lt-0ffffffffffffffff');
    expect(replaced).toMatchObject({ kind: 'started' });
    expect(replaced.executionArn).not.toBe(first.executionArn);
    expect(world.services.stepFunctions.executions).toHaveLength(2);
  });

  describe('ListExecutions', () => {
    /** A machine with executions a, b, c started an hour apart, b closed. */
    function threeExecutions() {
      let nowMs = START;
      const stepFunctions = new SimulatedStepFunctions(() => nowMs);
      stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
      for (const name of ['a', 'b', 'c']) {
        stepFunctions.answer('StartExecutionCommand', {
          stateMachineArn: ROLLING_UPDATE_MACHINE,
          name,
          input: '{}',
        });
        nowMs += HOUR;
      }
      stepFunctions.closeExecution(
        `${ROLLING_UPDATE_MACHINE.replace(':stateMachine:', ':execution:')}:b`,
        'FAILED',
      );
      const list = (input: Record<string, unknown>) =>
        stepFunctions.answer('ListExecutionsCommand', {
          stateMachineArn: ROLLING_UPDATE_MACHINE,
          ...input,
        }) as {
          executions: { name: string; status: string }[];
          nextToken?: string;
        };
      return { stepFunctions, list };
    }

    it('lists a status’s executions, most recent first', () => {
      const { list } = threeExecutions();
      expect(list({ statusFilter: 'RUNNING' }).executions.map((e) => [e.name, e.status])).toEqual([
        ['c', 'RUNNING'],
        ['a', 'RUNNING'],
      ]);
      expect(list({}).executions.map((e) => e.name)).toEqual(['c', 'b', 'a']);
    });

    it('pages by maxResults, with a token valid only for the same arguments', () => {
      const { list } = threeExecutions();
      const first = list({ maxResults: 2 });
      expect(first.executions.map((e) => e.name)).toEqual(['c', 'b']);
      const second = list({ maxResults: 2, nextToken: first.nextToken });
      expect(second).toEqual({ executions: [expect.objectContaining({ name: 'a' })] });
      expect(() => list({ statusFilter: 'RUNNING', nextToken: first.nextToken })).toThrow(
        expect.objectContaining({ name: 'InvalidToken' }),
      );
    });

    it('refuses an unknown state machine and a Map Run’s status', async () => {
      const { stepFunctions, list } = threeExecutions();
      expect(() =>
        stepFunctions.answer('ListExecutionsCommand', { stateMachineArn: `${ROLLING_UPDATE_MACHINE}-gone` }),
      ).toThrow(expect.objectContaining({ name: 'StateMachineDoesNotExist' }));
      expect(() => list({ statusFilter: 'PENDING_REDRIVE' })).toThrow(
        expect.objectContaining({ name: 'ValidationException' }),
      );
      expect(() => stepFunctions.answer('ListExecutionsCommand', { statusFilter: 'RUNNING' })).toThrow(
        expect.objectContaining({ name: 'ValidationException' }),
      );
    });

    it('refuses what it does not model (Map Runs, the redrive filter) instead of ignoring it', () => {
      const { list } = threeExecutions();
      expect(() => list({ redriveFilter: 'REDRIVEN' })).toThrow(UnsupportedCommandError);
      expect(() => list({ mapRunArn: `${ROLLING_UPDATE_MACHINE}/map:run` })).toThrow(UnsupportedCommandError);
    });

    it('answers the adapter with the groups its running rolling updates name', async () => {
      const { world, clients } = sideServicesWorld();
      world.services.stepFunctions.createStateMachine(ROLLING_UPDATE_MACHINE);
      const starter = new StepFunctionsWorkflowStarter(clients.sfn, ROLLING_UPDATE_MACHINE);
      const web = await starter.start(executionName('web', '8', START), {
        groupName: 'web',
        launchTemplateVersion: '8',
      });
      const api = await starter.start('by-hand', { groupName: 'api', launchTemplateVersion: '3' });
      world.services.stepFunctions.closeExecution(api.executionArn);
      const applier = new AutoScalingInstanceTypeApplier(clients, ROLLING_UPDATE_MACHINE);
      await expect(applier.runningRollingUpdates()).resolves.toEqual([
        { executionArn: web.executionArn, groupName: 'web' },
      ]);
    });
  });
});
