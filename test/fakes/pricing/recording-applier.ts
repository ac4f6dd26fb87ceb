import { RejectedRequestError } from '../../../shared/ports/errors';
import type {
  InstanceTypeApplier,
  InstanceTypeOverride,
  RollingUpdateRequest,
  RunningRollingUpdate,
} from '../../../shared/ports/instance-catalog';
import type { WorkflowStart } from '../../../shared/ports/workflow-starter';

/** The ARN of the fake workflow's executions, up to their name. */
const EXECUTION_ARN_PREFIX = 'arn:aws:states:eu-west-1:123456789012:execution:rolling-update:';

/**
 * `InstanceTypeApplier` that records every call; launch template versions count up from 10. As
 * EC2 does, a repeated client token with the same request returns the version it created (and
 * with another request rejects it, `IdempotentParameterMismatch`, as the adapter translates EC2's answer); executions are named after the
 * group, template and version, as the adapter names them, and a taken name is answered as the
 * adapter answers it (running: `started`; closed: `already-started`; another input: `conflict`).
 * The running ones are listed with the group their input names, as the adapter lists them.
 */
export class RecordingApplier implements InstanceTypeApplier {
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** How many times the running rolling updates were read (reads are not `calls`, which change things). */
  runningReads = 0;
  private nextVersion = 10;
  /** Per client token: the request it came with, as JSON, and the version it created. */
  private readonly tokens = new Map<string, { request: string; version: number }>();
  /** Rollout executions by name: their input, as JSON, and status. */
  private readonly executions = new Map<string, { input: string; status: string }>();
  /** The Error a closed rollout failed with, by execution name. */
  private readonly errors = new Map<string, string>();

  constructor(readonly rollingUpdateAvailable = true) {}

  async setMixedInstanceOverrides(
    groupName: string,
    launchTemplate: { readonly id: string; readonly version: string },
    overrides: readonly InstanceTypeOverride[],
    instancesDistribution?: Readonly<Record<string, string | number>>,
  ): Promise<void> {
    this.calls.push({
      method: 'setMixedInstanceOverrides',
      args: [groupName, launchTemplate, overrides, instancesDistribution],
    });
  }

  async createLaunchTemplateVersion(
    launchTemplateId: string,
    sourceVersion: number,
    instanceType: string,
    description: string,
    clientToken: string,
  ): Promise<number> {
    const args = [launchTemplateId, sourceVersion, instanceType, description];
    this.calls.push({ method: 'createLaunchTemplateVersion', args: [...args, clientToken] });
    const request = JSON.stringify(args);
    // No token is a new request every time, as the SDK's own random one would make it.
    const earlier = clientToken ? this.tokens.get(clientToken) : undefined;
    if (earlier && earlier.request !== request) {
      // As the adapter translates EC2's answer (a 400): rejected, naming EC2's code.
      throw new RejectedRequestError(
        'EC2',
        'CreateLaunchTemplateVersion',
        `IdempotentParameterMismatch: client token ${clientToken} was used with another request`,
        { refused: true },
      );
    }
    if (earlier) return earlier.version;
    const version = this.nextVersion++;
    if (clientToken) this.tokens.set(clientToken, { request, version });
    return version;
  }

  rolloutExecutionArn(request: RollingUpdateRequest): string {
    const { groupName, launchTemplateId, launchTemplateVersion } = request;
    return `${EXECUTION_ARN_PREFIX}${groupName}-${launchTemplateId}-v${launchTemplateVersion}`;
  }

  async startRollingUpdate(request: RollingUpdateRequest): Promise<WorkflowStart> {
    this.calls.push({ method: 'startRollingUpdate', args: [request] });
    const executionArn = this.rolloutExecutionArn(request);
    const executionName = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const { groupName, launchTemplateVersion, reason } = request;
    const input = JSON.stringify({ groupName, launchTemplateVersion, reason });
    const existing = this.executions.get(executionName);
    if (!existing) {
      this.executions.set(executionName, { input, status: 'RUNNING' });
      return { kind: 'started', executionName, executionArn };
    }
    // As Step Functions and the starter answer a taken name: running with this input is a success.
    if (existing.input !== input)
      return { kind: 'conflict', executionName, executionArn, existingStatus: existing.status };
    if (existing.status === 'RUNNING') return { kind: 'started', executionName, executionArn };
    return { kind: 'already-started', executionName, executionArn, existingStatus: existing.status };
  }

  async rolloutEnding(executionArn: string): Promise<{ status: string; error?: string }> {
    const status = await this.rolloutStatus(executionArn);
    const error = this.errors.get(executionArn.slice(executionArn.lastIndexOf(':') + 1));
    return { status, ...(error ? { error } : {}) };
  }

  async rolloutStatus(executionArn: string): Promise<string> {
    const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const execution = this.executions.get(name);
    // As the adapter reads DescribeExecution's ExecutionDoesNotExist: never started.
    return execution?.status ?? 'NOT_STARTED';
  }

  async runningRollingUpdates(): Promise<readonly RunningRollingUpdate[]> {
    this.runningReads += 1;
    const running: RunningRollingUpdate[] = [];
    for (const [name, { input, status }] of this.executions) {
      const groupName = (JSON.parse(input) as { groupName?: unknown }).groupName;
      if (status === 'RUNNING' && typeof groupName === 'string')
        running.push({ executionArn: `${EXECUTION_ARN_PREFIX}${name}`, groupName });
    }
    return running;
  }

  /**
   * Starts a rolling update of `groupName` that the selection did not start (a `Rolling Update
   * Requested` event, an update plan, a person): running until `closeRollout`. Returns its ARN.
   */
  startOtherRollingUpdate(executionName: string, groupName: string, launchTemplateVersion = '8'): string {
    const input = JSON.stringify({ groupName, launchTemplateVersion, reason: 'manual' });
    this.executions.set(executionName, { input, status: 'RUNNING' });
    return `${EXECUTION_ARN_PREFIX}${executionName}`;
  }

  /** Ends a rollout this applier started (its end, a rollback or a refusal), failed with `error`. */
  closeRollout(executionArn: string, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED', error?: string): void {
    const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const execution = this.executions.get(name);
    if (!execution) throw new Error(`no rollout ${executionArn} was started here`);
    execution.status = status;
    if (error) this.errors.set(name, error);
  }

  /** Holds the name with another input, as an execution started by hand would. */
  takeRolloutName(executionName: string, status = 'RUNNING'): void {
    this.executions.set(executionName, { input: '{"startedBy":"someone else"}', status });
  }
}
