import { isDeepStrictEqual } from 'node:util';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { WorkflowStart, WorkflowStarter } from '../ports/workflow-starter';
import { translateAwsError } from './translate-aws-error';

/** `WorkflowStarter` on Step Functions `StartExecution` for one state machine. */
export class StepFunctionsWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(executionName: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart> {
    const body = JSON.stringify(input);
    try {
      const out = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: body,
        }),
      );
      return { kind: 'started', executionName, executionArn: out.executionArn ?? '' };
    } catch (error) {
      // The name is taken: by this request, running (AWS answers that with success) or closed
      // within 90 days, or by another request with the same name, which must not pass as ours.
      if ((error as { name?: string })?.name === 'ExecutionAlreadyExists') {
        return this.existing(executionName, body);
      }
      throw translateAwsError(error, 'Step Functions', 'StartExecution', {
        type: 'state machine',
        id: this.stateMachineArn,
      });
    }
  }

  /** Reads the execution that holds the name: the same input is this request, another a conflict. */
  private async existing(executionName: string, body: string): Promise<WorkflowStart> {
    const executionArn = executionArnOf(this.stateMachineArn, executionName);
    const out = await describeExecution(this.client, executionArn);
    const existingStatus = out.status ?? 'UNKNOWN';
    if (sameInput(out.input, body)) {
      return { kind: 'already-started', executionName, executionArn, existingStatus };
    }
    const existingInput = inputObject(out.input);
    return {
      kind: 'conflict',
      executionName,
      executionArn,
      existingStatus,
      ...(existingInput ? { existingInput } : {}),
    };
  }
}

/** The ARN of the execution `executionName` of a state machine (with an empty name: their prefix). */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

/**
 * Step Functions `DescribeExecution`, its errors translated (`translateAwsError`: an execution that
 * does not exist, `ExecutionDoesNotExist`, is a `ResourceNotFoundError`).
 */
export async function describeExecution(
  client: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  try {
    return await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    throw translateAwsError(error, 'Step Functions', 'DescribeExecution', {
      type: 'execution',
      id: executionArn,
    });
  }
}

/** Whether the existing execution's input is this one, as JSON (key order aside). */
function sameInput(existing: string | undefined, body: string): boolean {
  if (existing === undefined) return false;
  if (existing === body) return true;
  try {
    return isDeepStrictEqual(JSON.parse(existing), JSON.parse(body));
  } catch {
    return false;
  }
}

/** The execution's input as a JSON object, or nothing when it is none. */
function inputObject(input: string | undefined): Readonly<Record<string, unknown>> | undefined {
  if (input === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(input);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
