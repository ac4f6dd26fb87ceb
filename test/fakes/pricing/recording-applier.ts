import { RejectedRequestError } from '../../../shared/ports/errors';
import type {
  InstanceTypeApplier,
  InstanceTypeOverride,
  RollingUpdateRequest,
} from '../../../shared/ports/instance-catalog';

/**
 * `InstanceTypeApplier` that records every call; launch template versions count up from 10. As
 * EC2 does, a repeated client token with the same request returns the version it created (and
 * with another request rejects it, `IdempotentParameterMismatch`, as the adapter translates EC2's answer); executions are named after the
 * group, template and version, as the adapter names them.
 */
export class RecordingApplier implements InstanceTypeApplier {
  readonly calls: { method: string; args: unknown[] }[] = [];
  private nextVersion = 10;
  /** Per client token: the request it came with, as JSON, and the version it created. */
  private readonly tokens = new Map<string, { request: string; version: number }>();

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

  async startRollingUpdate(request: RollingUpdateRequest): Promise<string> {
    this.calls.push({ method: 'startRollingUpdate', args: [request] });
    const { groupName, launchTemplateId, launchTemplateVersion } = request;
    return `arn:aws:states:eu-west-1:123456789012:execution:rolling-update:${groupName}-${launchTemplateId}-v${launchTemplateVersion}`;
  }
}
