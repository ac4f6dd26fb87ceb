import { InvalidConfigError } from '../../../shared/contracts/parse-config';
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

  it('refuses a malformed detail with every bad field', async () => {
    await expect(
      requestRollingUpdate(deps, { time: '2026-01-02T03:04:05Z', detail: { groupName: '', force: 'yes' } }),
    ).rejects.toBeInstanceOf(InvalidConfigError);
  });
});
