import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_ENTRY_METADATA } from '../../shared/contracts/deployment-metadata';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contracts/env';
import {
  DEFAULT_FUNCTION_MEMORY_MB,
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
} from '../../shared/contracts/function-timeouts';
import { handlerCode } from '../bundling/handler-code';
import { deployedSizer } from './deployed-value-size';

/**
 * Lambda's quota on a function's environment variables: 4 KB for all of them together, keys and
 * values (Lambda Developer Guide, "Lambda quotas"). Checked when the function is created, so here
 * at synth, with every value counted at its longest once deployed.
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

export interface PrescaleFunctionProps {
  /** Handler path from the repo root, e.g. `functions/scale-group/handler.ts`. */
  readonly entry: string;
  /** Environment variables, named by constants from `shared/contracts/env.ts`. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default DEFAULT_FUNCTION_TIMEOUT_SECONDS (one minute) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Short description shown in the Lambda console. */
  readonly description: string;
  /**
   * Concurrency reserved to the function, and its most (Lambda's ReservedConcurrentExecutions):
   * the account must keep 100 unreserved beside it, or the deploy fails.
   * @default none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A Prescale Lambda with the shared defaults fixed in one place: Node.js 24 (the newest Lambda runtime) on arm64 (cheaper per
 * GB-second than x86 with the same code), X-Ray tracing, a log group with retention, Powertools
 * environment, and the code bundled by `handlerCode` (esbuild with `PRESCALE_ESBUILD_OPTIONS`:
 * `keepNames`, so error names survive minifying and Step Functions matches on them).
 */
export class PrescaleFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PrescaleFunctionProps) {
    super(scope, id);
    if (!/^functions\/[a-z0-9-]+\/handler\.ts$/.test(props.entry)) {
      throw new Error(
        `PrescaleFunction ${id}: entry must be functions/<verb-noun>/handler.ts, got ${props.entry}`,
      );
    }
    const memorySize = props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB;
    if (memorySize < 128 || memorySize > 10240) {
      throw new Error(`PrescaleFunction ${id}: memorySize must be 128–10240 MB, got ${memorySize}`);
    }
    const reserved = props.reservedConcurrentExecutions;
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) {
      throw new Error(
        `PrescaleFunction ${id}: reservedConcurrentExecutions must be a whole number ≥ 1 (0 would throttle every invocation), got ${reserved}`,
      );
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Prescale ${id}: ${props.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      role: this.role,
      code: handlerCode(props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
      tracing: lambda.Tracing.ACTIVE,
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Never above INFO: Powertools' metric (EMF) lines carry no `level`, which Lambda's log-level
      // filtering takes for INFO, so at WARN or ERROR every Prescale metric would be dropped.
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Unique in the account and region, and kept for the stack's life: what its ownership tags say.
        [ENV.deployment]: Stack.of(this).stackName,
        ...props.environment,
      },
    });
    // The values CloudFormation fills in (names, ARNs) are only known at deploy; their longest is.
    this.node.addValidation({ validate: () => environmentSizeProblems(this.function) });
    // Which handler this function runs, for the deployed-IAM checks (shared/simulation/aws-checks).
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_ENTRY_METADATA, props.entry);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (added by active tracing) and the AWS read APIs granted next to them (Describe*, GetMetricData, GetProducts) support no resource-level permissions; every mutating statement is scoped to resources or tag conditions.',
    });
  }
}

/**
 * The function's environment, as deployed at its longest (`deployedSizer`), over Lambda's 4 KB:
 * one message saying by how much and which variables take the most, else none.
 */
function environmentSizeProblems(fn: lambda.Function): string[] {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const resolved = Stack.of(fn).resolve(cfn.environment) as
    | { variables?: Record<string, unknown> }
    | undefined;
  const deployedBytes = deployedSizer(fn);
  const sizes = Object.entries(resolved?.variables ?? {})
    .map(([key, value]) => ({ key, bytes: Buffer.byteLength(key) + deployedBytes(value) }))
    .sort((a, b) => b.bytes - a.bytes);
  const total = sizes.reduce((sum, v) => sum + v.bytes, 0);
  if (total <= LAMBDA_ENVIRONMENT_MAX_BYTES) return [];
  const largest = sizes.slice(0, 3).map((v) => `${v.key} ${v.bytes}`);
  return [
    `its environment variables take up to ${total} bytes once deployed, over Lambda's 4 KB (${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes, keys and values together), each value CloudFormation fills in counted at its longest (a construct group's generated name at 255 bytes, its instance role's at 64 after its path, a launch template id at 20, a table name at 255, an ARN or URL at its service's limits); the largest: ${largest.join(', ')} bytes. Enrol fewer groups by name (groups.tag enrols any number), or give construct groups an explicit autoScalingGroupName, counted at its length.`,
  ];
}
