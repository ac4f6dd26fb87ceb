import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

type World = ReturnType<typeof world>;

/** `api` on version 3 of lt-api, m5.large and m5.xlarge weighted 2 and 4, all On-Demand. */
function apiOnVersion3(): GroupSnapshot {
  return apiGroup({
    mixedInstances: {
      launchTemplateId: 'lt-api',
      version: '3',
      overrides: [
        { instanceType: 'm5.large', weightedCapacity: 2 },
        { instanceType: 'm5.xlarge', weightedCapacity: 4 },
      ],
      usesAttributeBasedSelection: false,
      instancesDistribution: { OnDemandPercentageAboveBaseCapacity: 100 },
    },
  });
}

/** The world's groups as the selection reads them first, then as `later` makes them (an owner's change). */
function changedAfterFirstRead(w: World, later: (g: GroupSnapshot) => GroupSnapshot): void {
  const describe = w.target.describeGroups.bind(w.target);
  let reads = 0;
  w.deps = {
    ...w.deps,
    groups: {
      groupsLaunching: (id) => w.target.groupsLaunching(id),
      describeGroups: async (selector) => {
        const groups = await describe(selector);
        return reads++ === 0 ? groups : groups.map(later);
      },
    },
  };
}

const mixedOf = (g: GroupSnapshot) => g.mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;

async function run(w: World) {
  const result = await selectInstanceTypes(w.deps, {
    config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
    region: REGION,
  });
  return result.groups;
}

/** The run leaves `group` recommended only, its reason containing `reason`, and writes nothing. */
async function expectNothingApplied(w: World, group: string, reason: string) {
  expect(byName(await run(w), group)).toMatchObject({
    kind: 'recommended',
    reason: expect.stringContaining(reason),
  });
  expect(w.applier.calls).toEqual([]);
}

describe('selectInstanceTypes reading the group again right before a change', () => {
  it('makes no version for a single-type group one of whose instances went into Standby since the first read', async () => {
    const w = world([webGroup()]);
    changedAfterFirstRead(w, (g) => ({ ...g, standbyInstances: 1 }));
    await expectNothingApplied(
      w,
      'web',
      'the rolling update would refuse the new type: 1 instance(s) of web are in Standby',
    );
  });

  it("reads the group after listing the workflow's executions, so an owner's deploy meanwhile is not written over", async () => {
    const w = world([apiOnVersion3()]);
    const list = w.applier.runningRollingUpdates.bind(w.applier);
    // The owner deploys version 4 while the pre-apply check's listing pages (throttled, it may take
    // seconds); the first listing is the selection's own, minutes earlier.
    let listings = 0;
    w.applier.runningRollingUpdates = async () => {
      listings += 1;
      const api = w.target.groups.get('api') as GroupSnapshot;
      if (listings === 2)
        w.target.groups.set('api', { ...api, mixedInstances: { ...mixedOf(api), version: '4' } });
      return list();
    };
    await expectNothingApplied(w, 'api', 'launch template lt-api version 3 is now lt-api version 4');
  });

  it('writes no overrides when the template behind the reference now targets a capacity reservation', async () => {
    const w = world([apiOnVersion3()]);
    const read = w.instanceCatalog.launchTemplate.bind(w.instanceCatalog);
    let reads = 0;
    w.instanceCatalog.launchTemplate = async (id: string, version: string) => {
      const facts = await read(id, version);
      reads += 1;
      return reads === 1
        ? facts
        : { ...facts, typeBoundSettings: ['a CapacityReservationTarget (a reservation is for one type)'] };
    };
    await expectNothingApplied(w, 'api', 'its launch template now sets a CapacityReservationTarget');
  });

  it('re-types no group that would launch Spot at a MaxSize the loop may raise it to, nor one whose MaxSize rose meanwhile', async () => {
    const onDemandUpToMax = (g: GroupSnapshot): GroupSnapshot => ({
      ...g,
      mixedInstances: {
        ...mixedOf(g),
        instancesDistribution: { OnDemandBaseCapacity: g.maxSize, OnDemandPercentageAboveBaseCapacity: 0 },
      },
    });
    const raising = world([onDemandUpToMax(apiOnVersion3())]);
    const raised = await selectInstanceTypes(raising.deps, {
      config: config({ pricing: { apply: true }, groupOverrides: { api: { maxRaiseOverMaxSize: 4 } } }),
      region: REGION,
    });
    expect(byName(raised.groups, 'api')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('the group launches Spot Instances'),
    });

    const w = world([onDemandUpToMax(apiOnVersion3())]);
    changedAfterFirstRead(w, (g) => ({ ...g, maxSize: g.maxSize + 2 }));
    expect(byName(await run(w), 'api')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(/^pre-apply check failed: the group launches Spot Instances/),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('applies nothing when an owner deployed, paused and set forecast-only while the run priced the group', async () => {
    const w = world([apiOnVersion3()]);
    changedAfterFirstRead(w, (g) => ({
      ...g,
      mixedInstances: {
        ...mixedOf(g),
        version: '4',
        instancesDistribution: { OnDemandPercentageAboveBaseCapacity: 50 },
      },
      tags: { ...g.tags, 'prescale:paused': 'true', 'prescale:mode': 'forecast-only' },
    }));
    expect(byName(await run(w), 'api')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(
        /^pre-apply check failed: the group changed since it was read \(launch template lt-api version 3 is now lt-api version 4; its InstancesDistribution\)/,
      ),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it.each<[string, (g: GroupSnapshot) => GroupSnapshot, string]>([
    [
      'new overrides',
      (g) => ({
        ...g,
        mixedInstances: { ...mixedOf(g), overrides: [{ instanceType: 'm6i.large', weightedCapacity: 2 }] },
      }),
      'its overrides',
    ],
    [
      'a new InstancesDistribution',
      (g) => ({
        ...g,
        mixedInstances: { ...mixedOf(g), instancesDistribution: { OnDemandBaseCapacity: 4 } },
      }),
      'its InstancesDistribution',
    ],
    ['a pause', (g) => ({ ...g, tags: { ...g.tags, 'prescale:paused': 'true' } }), 'group is paused by tag'],
    [
      'forecast-only mode',
      (g) => ({ ...g, tags: { ...g.tags, 'prescale:mode': 'forecast-only' } }),
      'forecast-only mode',
    ],
  ])('applies nothing after %s', async (_change, later, reason) => {
    const w = world([apiOnVersion3()]);
    changedAfterFirstRead(w, later);
    expect(byName(await run(w), 'api')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining(reason),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('creates no version from a single-type group’s old version when the owner moved it', async () => {
    const w = world([webGroup({ launchTemplate: { id: 'lt-web', version: '7' } })]);
    changedAfterFirstRead(w, (g) => ({ ...g, launchTemplate: { id: 'lt-web', version: '8' } }));
    await expectNothingApplied(w, 'web', 'launch template lt-web version 7 is now lt-web version 8');
  });

  it('applies, from the group as re-read, when only its capacity moved meanwhile', async () => {
    const w = world([apiOnVersion3()]);
    changedAfterFirstRead(w, (g) => ({ ...g, desiredCapacity: g.desiredCapacity + 4 }));
    expect(byName(await run(w), 'api').kind).toBe('applied');
    expect(w.applier.calls[0]?.args.slice(0, 2)).toEqual(['api', { id: 'lt-api', version: '3' }]);
    expect(w.applier.calls[0]?.args[3]).toEqual({ OnDemandPercentageAboveBaseCapacity: 100 });
  });
});
