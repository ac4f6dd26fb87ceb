import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ResourceNotFoundError } from '../ports/errors';
import type { RunningRollingUpdate } from '../ports/instance-catalog';
import { describeExecution } from './step-functions-workflow-starter';
import { translateAwsError } from './translate-aws-error';

/** The largest page `ListExecutions` answers (its `maxResults`, 1–1000; 0 is its default, 100). */
const PAGE_SIZE = 1000;

/**
 * The running executions of one state machine with the group each one's input names
 * (`groupName`): every page of `ListExecutions` with `statusFilter` `RUNNING`, then
 * `DescribeExecution` of each execution not read before, for its input (a listed execution carries
 * no input). An execution's input never changes, so each is read once per instance (while a Lambda
 * stays warm); only the ones still listed are kept, and one listed but closed when read is left
 * out (the listing is eventually consistent; its own status is read with its input). The execution
 * name is not read for the group:
 * a person, or a workflow of another shape, names an execution as they like, and a group name
 * that is not a name part is cut and marked with a digest (`executionNamePart`).
 */
export class StepFunctionsRunningExecutions {
  /** The group each execution read names (undefined: its input names none). */
  private groupOf = new Map<string, string | undefined>();

  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /**
   * Those naming a group; one whose input names none (not JSON, no string `groupName`) is left
   * out, and so is one that no longer exists when read (it closed over 90 days ago: never running).
   * @throws what `translateAwsError` makes of a refused or failed `ListExecutions` or `DescribeExecution`.
   */
  async running(): Promise<readonly RunningRollingUpdate[]> {
    const executionArns = await this.listRunning();
    const groupOf = new Map<string, string | undefined>();
    for (const executionArn of executionArns) {
      if (this.groupOf.has(executionArn)) {
        groupOf.set(executionArn, this.groupOf.get(executionArn));
        continue;
      }
      const read = await this.inputGroup(executionArn);
      // Listed as running, closed when read: the listing lags (it is eventually consistent).
      if (read.running) groupOf.set(executionArn, read.groupName);
    }
    this.groupOf = groupOf;
    return [...groupOf].flatMap(([executionArn, groupName]) =>
      groupName ? [{ executionArn, groupName }] : [],
    );
  }

  private async listRunning(): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      try {
        const page = await this.client.send(
          new ListExecutionsCommand({
            stateMachineArn: this.stateMachineArn,
            statusFilter: 'RUNNING',
            maxResults: PAGE_SIZE,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        for (const e of page.executions ?? []) if (e.executionArn) arns.push(e.executionArn);
        nextToken = page.nextToken;
      } catch (error) {
        throw translateAwsError(error, 'Step Functions', 'ListExecutions', {
          type: 'state machine',
          id: this.stateMachineArn,
        });
      }
    } while (nextToken);
    return arns;
  }

  /** Whether the execution still runs, as read now, and the group its input names. */
  private async inputGroup(executionArn: string): Promise<{ running: boolean; groupName?: string }> {
    let described: Awaited<ReturnType<typeof describeExecution>>;
    try {
      described = await describeExecution(this.client, executionArn);
    } catch (error) {
      if (error instanceof ResourceNotFoundError) return { running: false };
      throw error;
    }
    if (described.status !== 'RUNNING') return { running: false };
    try {
      const groupName = (JSON.parse(described.input ?? '{}') as { groupName?: unknown })?.groupName;
      return typeof groupName === 'string' ? { running: true, groupName } : { running: true };
    } catch {
      // Not JSON: the workflow refuses the input at its first state, before it reads a group.
      return { running: true };
    }
  }
}
