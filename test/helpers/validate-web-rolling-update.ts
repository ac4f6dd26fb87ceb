import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../shared/ports/errors';
import type { LaunchTemplateFacts } from '../../shared/ports/instance-catalog';
import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { validateRollingUpdate } from '../../shared/usecases/validate-rolling-update';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryDiscoveredDependencyStore } from '../fakes/memory-discovered-dependency-store';

/** When the validation runs: 2026-03-02 01:00 UTC, the time in the execution name `web-v7-20260302T0100`. */
export const NOW = Date.parse('2026-03-02T01:00:00Z');
/** Images deregistered: EC2 describes a version launching one as not found (`image`). */
const DEREGISTERED_IMAGES = new Set(['ami-4']);
/** The account's alarms, as the validation's CloudWatch sees them. */
const ALARMS = new Set(['web-5xx', 'web-latency']);
/** Versions 4–7 name an AMI (version 4's is deregistered); version 8 takes its AMI from an SSM parameter. */
const versions: Record<string, LaunchTemplateFacts> = {
  '4': { launchTemplateId: 'lt-1', versionNumber: 4, imageId: 'ami-4' },
  '5': { launchTemplateId: 'lt-1', versionNumber: 5, imageId: 'ami-5' },
  '6': { launchTemplateId: 'lt-1', versionNumber: 6, imageId: 'ami-6' },
  '7': { launchTemplateId: 'lt-1', versionNumber: 7, imageId: 'ami-7' },
  '8': { launchTemplateId: 'lt-1', versionNumber: 8, imageId: 'resolve:ssm:/ami/latest' },
};

/**
 * Runs `validateRollingUpdate` on `request` (execution `web-v7-20260302T0100`, at NOW) in an
 * account with groups `web` (enrolled by `config`, on launch template lt-1 version 6, `group` on
 * top) and `other` (not enrolled, same template). Launch template lt-1 has versions 4 to 8
 * ($Latest is 7, $Default is 6; version 4's image is deregistered); the alarms web-5xx and web-latency exist; `planLocks` maps a
 * group to the update plan holding it; `isGloballyPaused` is the kill switch.
 */
export function validateWebRollingUpdate(
  request: unknown,
  group: Partial<GroupSnapshot> = {},
  config: Partial<UserConfigInput> = {},
  planLocks: Record<string, string> = {},
  isGloballyPaused: () => Promise<boolean> = async () => false,
) {
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot({ name: 'web', launchTemplate: { id: 'lt-1', version: '6' }, ...group }),
    groupSnapshot({ name: 'other', launchTemplate: { id: 'lt-1', version: '6' } }),
  ]);
  return validateRollingUpdate(
    {
      scalingTarget,
      clock: { nowMs: () => NOW },
      deployment: 'Prescale',
      discoveredDependencies: new MemoryDiscoveredDependencyStore(),
      locks: { getLock: async () => undefined },
      planLocks: {
        getPlanLock: async (groupName: string) =>
          planLocks[groupName]
            ? { groupName, holder: planLocks[groupName], acquiredAtMs: NOW, expiresAtMs: NOW + 3_600_000 }
            : undefined,
      },
      alarmStates: { unknownAlarms: async (names) => names.filter((n) => !ALARMS.has(n)) },
      isGloballyPaused,
      launchTemplates: {
        launchTemplate: async (id, version) => {
          const facts = versions[version === '$Latest' ? '7' : version === '$Default' ? '6' : version];
          if (!facts) throw new ResourceNotFoundError('launch template version', `${id}:${version}`);
          if (facts.imageId && DEREGISTERED_IMAGES.has(facts.imageId))
            throw new ResourceNotFoundError('image', facts.imageId);
          return facts;
        },
      },
    },
    parseConfig(userConfigSchema, { groups: { names: ['web'] }, ...config }, 'test'),
    { request, executionName: 'web-v7-20260302T0100' },
  );
}
