import type {
  InstanceTypeApplier,
  InstanceTypeOverride,
  RollingUpdateRequest,
} from '../../../shared/ports/instance-catalog';

/** `InstanceTypeApplier` that records every call; launch template versions count up from 10. */
export class RecordingApplier implements InstanceTypeApplier {
  readonly calls: { method: string; args: unknown[] }[] = [];
  private nextVersion = 10;

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
  ): Promise<number> {
    this.calls.push({
      method: 'createLaunchTemplateVersion',
      args: [launchTemplateId, sourceVersion, instanceType, description],
    });
    return this.nextVersion++;
  }

  async startRollingUpdate(request: RollingUpdateRequest): Promise<string> {
    this.calls.push({ method: 'startRollingUpdate', args: [request] });
    return `arn:aws:states:eu-west-1:123456789012:execution:rolling-update:${request.groupName}`;
  }
}
