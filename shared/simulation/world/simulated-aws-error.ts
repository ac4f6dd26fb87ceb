/**
 * An error as the AWS SDK raises it for a service exception: `name` is the API error code
 * (`ValidationError`, `ThrottlingException`, `ParameterNotFound`...), with `$fault` and
 * `$metadata`, so the SDK's retry strategy and Prescale's error translation treat it as real.
 */
export class SimulatedAwsError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number };
  readonly $retryable?: { readonly throttling: boolean };

  constructor(code: string, message: string, httpStatusCode = 400) {
    super(message);
    // The AWS error code, not a class name: the SDK and translateAwsError match on it.
    this.name = code;
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode };
    if (code === 'ThrottlingException' || code === 'Throttling') this.$retryable = { throttling: true };
  }
}

/** A command the simulated AWS does not implement; not retryable. */
export class UnsupportedCommandError extends Error {
  override readonly name = 'UnsupportedCommandError' as const;
  constructor(
    readonly service: string,
    readonly commandName: string,
  ) {
    super(
      `the simulated AWS does not implement ${service} ${commandName}; add it to shared/simulation/world or avoid the call`,
    );
  }
}
