import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { translateAwsError } from './translate-aws-error';

/**
 * The deployment-wide kill switch: an SSM parameter whose value `paused` stops every mutation.
 * A missing parameter means running; any other failure is raised, never read as "running".
 */
export class SsmKillSwitch {
  constructor(
    private readonly client: SSMClient,
    private readonly parameterName: string,
  ) {}

  async isPaused(): Promise<boolean> {
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: this.parameterName }));
      return (out.Parameter?.Value ?? '').trim().toLowerCase() === 'paused';
    } catch (error) {
      if ((error as { name?: string }).name === 'ParameterNotFound') return false;
      throw translateAwsError(error, 'SSM', 'GetParameter');
    }
  }
}
