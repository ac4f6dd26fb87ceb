import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { RecordingApplier } from '../../fakes/pricing/recording-applier';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_NOW_MS as NOW_MS,
  SELECTION_REGION as REGION,
  recommendationOf,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const HOUR_MS = 3_600_000;

describe('selectInstanceTypes holding back from applying', () => {
  it('reports what it would do in a dry run and changes nothing', async () => {
    const w = world();
    const result = await selectInstanceTypes(w.deps, {
      config: config({
        dryRun: true,
        pricing: { apply: true },
        rollingUpdate: { autoStartOnInstanceTypeChange: true },
      }),
      region: REGION,
    });
    expect(result.groups.map((g) => g.kind)).toEqual(['dry-run', 'dry-run']);
    expect(w.applier.calls).toEqual([]);
  });

  it('never touches a group whose instance refresh is in progress', async () => {
    const w = world([webGroup({ instanceRefreshInProgress: true })]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'an instance refresh is in progress',
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('applies nothing to a group with subnets in a Local Zone, which the region’s prices do not price', async () => {
    // A Local Zone's name, as us-west-2-lax-1a is us-west-2's; its types priced under its own regionCode.
    const localZone = 'eu-west-1-xyz-1a';
    const w = world([webGroup({ availabilityZones: ['eu-west-1a', localZone] }), apiGroup()]);
    w.instanceCatalog.offerings[localZone] = [...(w.instanceCatalog.offerings['eu-west-1a'] ?? [])];
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: `priced at region prices; the group has subnets in Local Zone ${localZone} whose prices differ: no change is applied`,
    });
    expect(recommendationOf(byName(result.groups, 'web')).diagnostics).toContainEqual(
      expect.stringContaining(`Local Zone ${localZone}`),
    );
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'applied' });
    expect(w.applier.calls.map((c) => c.args[0])).toEqual(['api']);
  });

  it('applies nothing to a group whose capacity processes are suspended, as the loop holds it', async () => {
    const w = world([
      webGroup({ suspendedProcesses: ['Launch', 'AZRebalance'] }),
      apiGroup({ suspendedProcesses: ['AZRebalance'] }),
    ]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'processes suspended on the group: Launch',
    });
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'applied' });
  });

  it('applies to a group an EC2 predictive scaling policy scales: it sets capacity, not instance types', async () => {
    const w = world([webGroup({ predictiveScalingPolicy: 'cpu40' })]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'applied' });
  });

  it.each<[string, Record<string, string | number>]>([
    ['all Spot', { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 0 }],
    ['Spot above an On-Demand base', { OnDemandBaseCapacity: 4, OnDemandPercentageAboveBaseCapacity: 50 }],
  ])(
    'only recommends for a group that launches Spot (%s): its Spot pools stay',
    async (_case, distribution) => {
      const group = apiGroup();
      const mixed = group.mixedInstances as NonNullable<typeof group.mixedInstances>;
      const w = world([{ ...group, mixedInstances: { ...mixed, instancesDistribution: distribution } }]);
      const result = await selectInstanceTypes(w.deps, {
        config: config({ pricing: { apply: true, includeSpot: true } }),
        region: REGION,
      });
      expect(byName(result.groups, 'api')).toMatchObject({
        kind: 'recommended',
        reason: expect.stringMatching(
          /^the group launches Spot Instances \(OnDemandPercentageAboveBaseCapacity .*On-Demand prices/,
        ),
      });
      expect(w.applier.calls).toEqual([]);
    },
  );

  it('applies to a group whose Spot percentage never applies below its MaxSize', async () => {
    const group = apiGroup();
    const mixed = group.mixedInstances as NonNullable<typeof group.mixedInstances>;
    const distribution = { OnDemandBaseCapacity: group.maxSize, OnDemandPercentageAboveBaseCapacity: 0 };
    const w = world([{ ...group, mixedInstances: { ...mixed, instancesDistribution: distribution } }]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'api').kind).toBe('applied');
  });

  it('checks offerings again right before applying and stops when a type was withdrawn', async () => {
    const w = world([webGroup()]);
    const read = w.instanceCatalog.typesOfferedInEveryZone.bind(w.instanceCatalog);
    w.instanceCatalog.typesOfferedInEveryZone = async (zones) => {
      const offered = await read(zones);
      if (w.instanceCatalog.offeringReads > 1) return new Set([...offered].filter((t) => t !== 'c7g.large'));
      return offered;
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const web = byName(result.groups, 'web');
    expect(web.kind).toBe('recommended');
    expect(web.kind === 'recommended' && web.reason).toMatch(
      /pre-apply check failed: c7g.large is not offered/,
    );
    expect(w.applier.calls).toEqual([]);
  });

  it('checks a refresh started between selection and apply', async () => {
    const w = world([webGroup()]);
    const describe = w.target.describeGroups.bind(w.target);
    let reads = 0;
    w.deps = {
      ...w.deps,
      groups: {
        groupsLaunching: (id) => w.target.groupsLaunching(id),
        describeGroups: async (selector) => {
          const groups = await describe(selector);
          return reads++ === 0 ? groups : groups.map((g) => ({ ...g, instanceRefreshInProgress: true }));
        },
      },
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const web = byName(result.groups, 'web');
    expect(web.kind === 'recommended' && web.reason).toBe(
      'pre-apply check failed: an instance refresh is in progress',
    );
  });

  it('recommends only when no rolling-update workflow exists for a single-type group', async () => {
    const w = world([webGroup()]);
    w.deps = { ...w.deps, applier: new RecordingApplier(false) };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'no rolling-update workflow is deployed to roll out a new instance type',
    });
  });

  it('respects a lock held by the rolling update and the paused tag', async () => {
    const w = world([webGroup(), apiGroup({ tags: { 'prescale:paused': 'true' } })]);
    await w.stateStore.acquireLock({
      groupName: 'web',
      holder: 'rolling-update',
      acquiredAtMs: NOW_MS,
      expiresAtMs: NOW_MS + HOUR_MS,
    });
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'group is held by rolling-update',
    });
    expect(byName(result.groups, 'api')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(/^group is paused by tag/),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('reads the paused tag as the scaling loop does: only "false", in any case, lets it apply', async () => {
    const w = world([
      webGroup({ tags: { 'prescale:paused': 'False' } }),
      apiGroup({ tags: { 'prescale:paused': 'TRUE' } }),
    ]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'applied' });
    expect(byName(result.groups, 'api')).toMatchObject({
      kind: 'recommended',
      reason: 'group is paused by tag (value "TRUE")',
    });
  });

  it('applies nothing while the kill switch is on', async () => {
    const w = world();
    w.killSwitch.on = true;
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    for (const name of ['web', 'api']) {
      expect(byName(result.groups, name)).toMatchObject({
        kind: 'recommended',
        reason: 'Prescale is paused for all groups (kill switch)',
      });
    }
    expect(w.applier.calls).toEqual([]);
  });

  it('fails the group, applying nothing, when the kill switch cannot be read', async () => {
    const w = world();
    w.deps = {
      ...w.deps,
      isGloballyPaused: async () => {
        throw new Error('SSM is unavailable');
      },
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(result.groups.map((g) => g.kind)).toEqual(['failed', 'failed']);
    expect(w.applier.calls).toEqual([]);
  });

  it.each<[string, Partial<UserConfigInput>, string[]]>([
    ['the global mode', { mode: 'forecast-only' }, []],
    [
      'the group override',
      {
        groupOverrides: { web: { mode: 'forecast-only' }, api: { mode: 'forecast-only' } },
      },
      [],
    ],
    ['the prescale:mode tag', {}, ['web', 'api']],
  ])('only recommends for a group in forecast-only mode by %s', async (_by, input, tagged) => {
    const tags = (name: string) =>
      tagged.includes(name) ? { tags: { 'prescale:mode': 'forecast-only' } } : {};
    const w = world([webGroup(tags('web')), apiGroup(tags('api'))]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({
        ...input,
        pricing: { apply: true },
        rollingUpdate: { autoStartOnInstanceTypeChange: true },
      }),
      region: REGION,
    });
    for (const name of ['web', 'api']) {
      expect(byName(result.groups, name)).toMatchObject({
        kind: 'recommended',
        reason: 'forecast-only mode',
      });
    }
    expect(w.applier.calls).toEqual([]);
  });

  it('only recommends for a group whose prescale:mode it cannot read, and names the tag', async () => {
    const w = world([webGroup({ tags: { 'prescale:mode': 'live' } }), apiGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason:
        'forecast-only mode; ignored tag prescale:mode=live (expected forecast-only or forecast-and-scale; held forecast-only)',
    });
    // The other group's own mode is read as configured: its change is applied.
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'applied' });
    expect(w.applier.calls.map((c) => c.args[0])).toEqual(['api']);
  });

  it('never selects a type the launch template cannot launch, and checks the template again before applying', async () => {
    // c7g.large is the cheapest arm64 type; here it cannot be EBS-optimized and lt-web asks for it.
    const w = world([webGroup()]);
    w.instanceCatalog.facts = w.instanceCatalog.facts.map((f) =>
      f.instanceType === 'c7g.large' ? { ...f, ebsOptimizedSupport: 'unsupported' as const } : f,
    );
    const template = w.instanceCatalog.templates['lt-web'];
    if (!template) throw new Error('no lt-web');
    w.instanceCatalog.templates['lt-web'] = { ...template, launchRequirements: { ebsOptimized: true } };
    const refused = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const web = byName(refused.groups, 'web');
    // The next cheapest of the group's size and memory instead: m6g.large.
    expect(web).toMatchObject({
      kind: 'applied',
      change: { instanceType: 'm6g.large' },
      recommendation: { rejected: expect.objectContaining({ 'launch-template-incompatible': 1 }) },
    });

    // Selected on the template as it was, then EBS optimization switched on before the change.
    const later = world([webGroup()]);
    later.instanceCatalog.facts = w.instanceCatalog.facts;
    const read = later.instanceCatalog.launchTemplate.bind(later.instanceCatalog);
    let reads = 0;
    later.instanceCatalog.launchTemplate = async (id, version) => {
      const found = await read(id, version);
      return reads++ === 0 ? found : { ...found, launchRequirements: { ebsOptimized: true } };
    };
    const result = await selectInstanceTypes(later.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const checked = byName(result.groups, 'web');
    expect(checked.kind === 'recommended' && checked.reason).toMatch(
      /^pre-apply check failed: c7g\.large is not EBS-optimized/,
    );
    expect(later.applier.calls).toEqual([]);
  });

  it.each<[string, Partial<Parameters<typeof webGroup>[0]>, string]>([
    ['in Standby', { standbyInstances: 1 }, '1 instance(s) of web are in Standby'],
    ['protected under Wait', { protectedInstances: 2 }, '2 instance(s) of web are protected from scale in'],
  ])(
    'only recommends a new type for a single-type group with instances %s, whose rollout the workflow refuses',
    async (_case, instances, refusal) => {
      // Started anyway, each day made a launch template version and a workflow that refused it.
      const w = world([webGroup(instances)]);
      const result = await selectInstanceTypes(w.deps, {
        config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
        region: REGION,
      });
      expect(byName(result.groups, 'web')).toMatchObject({
        kind: 'recommended',
        reason: expect.stringContaining(`the rolling update would refuse the new type: ${refusal}`),
      });
      expect(w.applier.calls.map((c) => c.method)).not.toContain('createLaunchTemplateVersion');
      expect(w.applier.calls).toEqual([]);
    },
  );
});

describe('selectInstanceTypes and burstable types', () => {
  it('recommends a T type allowBurstable lets in, and applies nothing: its vCPUs are not all sustained', async () => {
    // web runs c6gn.large (arm64, 2 vCPUs); t4g.large, 2 vCPUs, is the cheapest arm64 type of its size.
    const w = world([webGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({
        pricing: { apply: true, allowBurstable: true, minSavingRatio: 0 },
        rollingUpdate: { autoStartOnInstanceTypeChange: true },
      }),
      region: REGION,
    });
    const web = byName(result.groups, 'web');
    expect(web).toMatchObject({
      kind: 'recommended',
      reason:
        'the selection includes burstable types (t4g.large): they are compared by all their vCPUs, but a T type sustains only a baseline share of them, and above it pays for surplus CPU credits (unlimited mode, the default of T3, T3a and T4g) or is throttled (standard mode); the price compares neither, so it recommends only: change the type yourself after checking its baseline against your load',
    });
    if (web.kind !== 'recommended') throw new Error('not recommended');
    expect(web.recommendation.selection.items.map((i) => i.instanceType)).toEqual(['t4g.large']);
    expect(w.applier.calls).toEqual([]);
  });
});
