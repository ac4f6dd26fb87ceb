import { InvalidConfigError } from '../../../shared/contracts/parse-config';
import { RejectedRequestError } from '../../../shared/ports/errors';
import type { WorkflowStart } from '../../../shared/ports/workflow-starter';
import { requestRollingUpdate } from '../../../shared/usecases/request-rolling-update';

describe('requestRollingUpdate', () => {
  const started: { name: string; input: unknown }[] = [];
  const deps = {
    starter: {
      start: async (name: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart> => {
        started.push({ name, input });
        return { kind: 'started', executionName: name, executionArn: 'arn' };
      },
    },
  };

  it('starts an execution named after the group, the version and the event minute', async () => {
    const detail = { groupName: 'web', launchTemplateVersion: '7', force: true };
    await requestRollingUpdate(deps, { time: '2026-01-02T03:04:05Z', detail });
    expect(started).toEqual([{ name: 'web-v7-20260102T0304', input: detail }]);
  });

  it('starts one execution for each of two groups whose names clean alike, and one for a redelivery', async () => {
    const named: string[] = [];
    const awsLike = {
      starter: {
        start: async (name: string): Promise<WorkflowStart> => {
          const kind = named.includes(name) ? 'already-started' : 'started';
          named.push(name);
          return { kind, executionName: name, executionArn: '' };
        },
      },
    };
    const request = (groupName: string) =>
      requestRollingUpdate(awsLike, {
        time: '2026-01-02T03:04:05Z',
        detail: { groupName, launchTemplateVersion: '7' },
      });
    expect((await request('svc.a')).kind).toBe('started');
    expect((await request('svc-a')).kind).toBe('started');
    expect((await request('svc.a')).kind).toBe('already-started');
  });

  it('fails a different request that finds its name taken, naming the holder, so it reaches the dead-letter queue', async () => {
    const taken = {
      starter: {
        start: async (name: string): Promise<WorkflowStart> => ({
          kind: 'conflict',
          executionName: name,
          executionArn: `arn:${name}`,
          existingStatus: 'RUNNING',
        }),
      },
    };
    const sent = requestRollingUpdate(taken, {
      time: '2026-01-02T03:04:05Z',
      detail: { groupName: 'web', launchTemplateVersion: '7', force: true },
    });
    await expect(sent).rejects.toBeInstanceOf(RejectedRequestError);
    await expect(sent).rejects.toThrow(/web-v7-20260102T0304 \(RUNNING\).*NOT started/);
  });

  it('refuses a misspelt field by name, and starts nothing', async () => {
    const sent = requestRollingUpdate(deps, {
      time: '2026-01-02T03:04:05Z',
      detail: { groupName: 'web', launchTemplateVersion: '7', alarmName: ['web-5xx'] },
    });
    await expect(sent).rejects.toThrow('(root): Unrecognized key: "alarmName"');
    // A key only Step Functions sets for a parent execution is no field of a request either.
    const parented = requestRollingUpdate(deps, {
      time: '2026-01-02T03:04:05Z',
      detail: {
        groupName: 'web',
        launchTemplateVersion: '7',
        AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: 'x',
      },
    });
    await expect(parented).rejects.toBeInstanceOf(InvalidConfigError);
    expect(started.filter((s) => JSON.stringify(s.input).includes('alarmName'))).toEqual([]);
  });

  it('refuses a malformed detail with every bad field', async () => {
    await expect(
      requestRollingUpdate(deps, { time: '2026-01-02T03:04:05Z', detail: { groupName: '', force: 'yes' } }),
    ).rejects.toBeInstanceOf(InvalidConfigError);
  });
});
