import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { translateAwsError } from './translate-aws-error';

/** How long a warm Lambda reuses the kill switch's value before reading SSM again. */
export const KILL_SWITCH_MAX_AGE_SECONDS = 30;

/**
 * The deployment-wide kill switch: an SSM parameter whose value `paused` stops every mutation.
 * A missing parameter means running; any other failure is raised, never read as "running". The
 * value is read through Powertools Parameters and cached for `maxAgeSeconds` (default
 * `KILL_SWITCH_MAX_AGE_SECONDS`), so a switch takes effect within that time on warm Lambdas.
 */
export class SsmKillSwitch {
  private readonly provider: SSMProvider;
  private readonly maxAgeSeconds: number;

  constructor(
    client: SSMClient,
    private readonly parameterName: string,
    options: { readonly maxAgeSeconds?: number } = {},
  ) {
    this.provider = new SSMProvider({ awsSdkV3Client: client });
    this.maxAgeSeconds = options.maxAgeSeconds ?? KILL_SWITCH_MAX_AGE_SECONDS;
  }

  /** @throws TransientDependencyError or RejectedRequestError when SSM cannot be read. */
  async isPaused(): Promise<boolean> {
    try {
      const value = await this.provider.get(this.parameterName, { maxAge: this.maxAgeSeconds });
      return (value ?? '').trim().toLowerCase() === 'paused';
    } catch (error) {
      // Powertools wraps the SDK's error in a GetParameterError; the SDK error is its cause.
      const sdkError = (error as { cause?: unknown }).cause ?? error;
      if ((sdkError as { name?: string }).name === 'ParameterNotFound') return false;
      throw translateAwsError(sdkError, 'SSM', 'GetParameter');
    }
  }
}
