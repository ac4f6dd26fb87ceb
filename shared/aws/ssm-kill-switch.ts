import type { Logger } from '@aws-lambda-powertools/logger';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { translateAwsError } from './translate-aws-error';

/** How long a warm Lambda reuses the kill switch's value before reading SSM again. */
export const KILL_SWITCH_MAX_AGE_SECONDS = 30;

/** The one value (trimmed, any case) that lets Prescale act. */
export const KILL_SWITCH_RUNNING = 'running';

/**
 * The deployment-wide kill switch: an SSM parameter whose value `running` (trimmed, any case) lets
 * Prescale act and whose every other value stops every mutation. It fails closed because an
 * operator reaching for it is trying to stop something: `pause`, `stop` or `true` must not be read
 * as running. A value other than `running` or `paused` is logged as a warning naming it, so a typo
 * that paused the deployment is seen. A missing parameter means running (the stack creates it;
 * deleting it is not a way to pause); any other failure is raised, never read as "running". The
 * value is read through Powertools Parameters and cached for `maxAgeSeconds` (default
 * `KILL_SWITCH_MAX_AGE_SECONDS`), so a switch takes effect within that time on warm Lambdas.
 */
export class SsmKillSwitch {
  private readonly provider: SSMProvider;
  private readonly maxAgeSeconds: number;
  private readonly logger: Pick<Logger, 'warn'>;

  constructor(
    client: SSMClient,
    private readonly parameterName: string,
    options: { readonly maxAgeSeconds?: number; readonly logger: Pick<Logger, 'warn'> },
  ) {
    this.provider = new SSMProvider({ awsSdkV3Client: client });
    this.maxAgeSeconds = options.maxAgeSeconds ?? KILL_SWITCH_MAX_AGE_SECONDS;
    this.logger = options.logger;
  }

  /** @throws TransientDependencyError or RejectedRequestError when SSM cannot be read. */
  async isPaused(): Promise<boolean> {
    const value = await this.read();
    if (value === null) return false;
    const word = value.trim().toLowerCase();
    if (word === KILL_SWITCH_RUNNING) return false;
    if (word !== 'paused') {
      this.logger.warn('kill switch value not recognised, read as paused', {
        parameterName: this.parameterName,
        value,
        expected: `"${KILL_SWITCH_RUNNING}" to run; any other value pauses`,
      });
    }
    return true;
  }

  /** The parameter's value (empty when SSM returns none), or null when it does not exist. */
  private async read(): Promise<string | null> {
    try {
      return (await this.provider.get(this.parameterName, { maxAge: this.maxAgeSeconds })) ?? '';
    } catch (error) {
      // Powertools wraps the SDK's error in a GetParameterError; the SDK error is its cause.
      const sdkError = (error as { cause?: unknown }).cause ?? error;
      if ((sdkError as { name?: string }).name === 'ParameterNotFound') return null;
      throw translateAwsError(sdkError, 'SSM', 'GetParameter');
    }
  }
}
