import { DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Ec2SpotPriceCatalog } from '../../../shared/aws/ec2-spot-price-catalog';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { factsFor } from '../../fakes/pricing/catalog-builders';
import { FakeInstanceCatalog } from '../../fakes/pricing/fake-instance-catalog';
import {
  selectionConfig as config,
  SELECTION_NOW_MS as NOW_MS,
  SELECTION_REGION as REGION,
  SELECTION_PRICES,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const ec2 = mockClient(EC2Client);
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const TYPES = Object.keys(SELECTION_PRICES);

beforeEach(() => ec2.reset());

/** `count` groups like `web` (the same template and types) in the three zones, enrolled by name. */
function manyGroups(count: number) {
  const names = Array.from({ length: count }, (_, i) => `web-${String(i).padStart(2, '0')}`);
  const w = world(names.map((name) => webGroup({ name, availabilityZones: ZONES })));
  const templates = w.instanceCatalog.templates;
  w.deps = {
    ...w.deps,
    instanceCatalog: new FakeInstanceCatalog(
      TYPES.map((t) => factsFor(t)),
      Object.fromEntries(ZONES.map((z) => [z, TYPES])),
      templates,
    ),
  };
  return { w, names };
}

describe('selectInstanceTypes over many groups', () => {
  it('asks EC2 for the Spot prices of each zone and type once a run, not once a group', async () => {
    ec2.on(DescribeSpotPriceHistoryCommand).callsFake(({ AvailabilityZone, InstanceTypes }) => ({
      SpotPriceHistory: (InstanceTypes as string[]).map((InstanceType) => ({
        InstanceType,
        AvailabilityZone,
        SpotPrice: '0.03',
        Timestamp: new Date(NOW_MS - 60_000),
      })),
    }));
    const { w, names } = manyGroups(12);
    w.deps = {
      ...w.deps,
      spotPrices: new Ec2SpotPriceCatalog(ec2 as unknown as EC2Client, { nowMs: () => NOW_MS }),
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ groups: { names }, pricing: { includeSpot: true } }),
      region: REGION,
    });
    expect(result.groups.map((g) => g.kind)).toEqual(names.map(() => 'recommended'));
    for (const g of result.groups)
      expect('recommendation' in g && g.recommendation.selection.spotHourlyCostUsd).toBeCloseTo(5 * 0.03, 10);
    // One call per zone and 100 types (13 here), however many groups share the zones.
    const calls = ec2.commandCalls(DescribeSpotPriceHistoryCommand).length;
    expect(calls).toBeLessThanOrEqual(ZONES.length * Math.ceil(TYPES.length / 100));
  });

  it('starts no group once its time is short, reports each group as it finishes and the groups not reached', async () => {
    const { w, names } = manyGroups(5);
    const seen: string[] = [];
    let checks = 0;
    const reason = 'not reached: the selector stopped before its timeout';
    const result = await selectInstanceTypes(w.deps, {
      config: config({ groups: { names } }),
      region: REGION,
      hasTime: {
        left: () => {
          seen.push('check');
          return ++checks <= 2;
        },
        reason,
      },
      onGroupResult: (g) => seen.push(`${g.groupName} ${g.kind}`),
    });
    expect(seen).toEqual([
      'check',
      'web-00 recommended',
      'check',
      'web-01 recommended',
      'check',
      'web-02 skipped',
      'web-03 skipped',
      'web-04 skipped',
    ]);
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['web-00', 'recommended'],
      ['web-01', 'recommended'],
      ['web-02', 'skipped'],
      ['web-03', 'skipped'],
      ['web-04', 'skipped'],
    ]);
    expect(result.groups[2]).toMatchObject({ reason });
    expect(result.notReached).toEqual(['web-02', 'web-03', 'web-04']);
  });
});
