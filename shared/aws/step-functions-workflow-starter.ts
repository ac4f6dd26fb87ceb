import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStart, WorkflowStarter } from '../ports/workflow-starter';
import { translateAwsError } from './translate-aws-error';

/** `WorkflowStarter` on Step Functions `StartExecution` for one state machine. */
export class StepFunctionsWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(executionName: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart> {
    try {
      const out = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: JSON.stringify(input),
        }),
      );
      return { kind: 'started', executionName, executionArn: out.executionArn ?? '' };
    } catch (error) {
      // The name was used within the last 90 days: a retried or duplicate request.
      if ((error as { name?: string })?.name === 'ExecutionAlreadyExists') {
        return { kind: 'already-started', executionName, executionArn: '' };
      }
      throw translateAwsError(error, 'Step Functions', 'StartExecution', {
        type: 'state machine',
        id: this.stateMachineArn,
      });
    }
  }
}
