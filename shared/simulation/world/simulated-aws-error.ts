/**
 * An error as the AWS SDK raises it for a service exception: `name` is the API error code
 * (`ValidationError`, `ThrottlingException`, `ParameterNotFound`...), or the SDK's class name
 * where it differs from the code (Auto Scaling's declared faults, `autoScalingFault`), with
 * `$fault` and `$metadata`, so the SDK's retry strategy and Prescale's error translation treat it
 * as real. `Code` keeps the code the service answered.
 */
export class SimulatedAwsError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number };
  readonly $retryable?: { readonly throttling: boolean };

  readonly Code: string;

  constructor(code: string, message: string, httpStatusCode = 400, sdkName = code) {
    super(message);
    this.name = sdkName;
    this.Code = code;
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
