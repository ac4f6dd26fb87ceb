import type { LaunchTemplateFacts } from '../../../shared/ports/instance-catalog';
import type { MixedInstancesOverride } from '../../../shared/ports/scaling-target';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  recommendationOf,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

type World = ReturnType<typeof world>;

/** A group launching from `groupTemplate` v4 whose overrides are `overrides`. */
const groupWith = (groupTemplate: string, overrides: MixedInstancesOverride[]) =>
  apiGroup({
    mixedInstances: {
      launchTemplateId: groupTemplate,
      version: '4',
      overrides,
      usesAttributeBasedSelection: false,
    },
  });

/** Both of the api group's types launching from `template` v2, a template of their own. */
const ownTemplate = (template: string): MixedInstancesOverride[] => [
  { instanceType: 'm5.large', weightedCapacity: 2, launchTemplate: { id: template, version: '2' } },
  { instanceType: 'm5.xlarge', weightedCapacity: 4, launchTemplate: { id: template, version: '2' } },
];

/** `lt-ssm`: an image named by an SSM parameter (its architecture unread), an arm64 AMI in truth. */
const SSM_TEMPLATE: LaunchTemplateFacts = {
  launchTemplateId: 'lt-ssm',
  versionNumber: 4,
  imageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
};

async function run(w: World) {
  const result = await selectInstanceTypes(w.deps, {
    config: config({ pricing: { apply: true } }),
    region: REGION,
    groupNames: ['api'],
  });
  return byName(result.groups, 'api');
}

/** The overrides the run wrote for the group (its one call). */
function writtenOverrides(w: World) {
  expect(w.applier.calls.map((c) => c.method)).toEqual(['setMixedInstanceOverrides']);
  return w.applier.calls[0]?.args[2] as { instanceType: string; launchTemplate?: unknown }[];
}

describe('selectInstanceTypes and overrides with launch templates of their own', () => {
  it("gives new types the x86 template every current type launches from, not the group's arm64 one", async () => {
    const w = world([groupWith('lt-ssm', ownTemplate('lt-x86'))]);
    w.instanceCatalog.templates['lt-ssm'] = SSM_TEMPLATE;
    w.instanceCatalog.templates['lt-x86'] = {
      launchTemplateId: 'lt-x86',
      versionNumber: 2,
      imageArchitecture: 'x86_64',
    };
    const api = await run(w);
    expect(api.kind).toBe('applied');
    // Judged against lt-x86's image, not inferred from types that do not launch from lt-ssm.
    expect(recommendationOf(api)).toMatchObject({ architecture: 'x86_64', architectureSource: 'image' });
    const overrides = writtenOverrides(w);
    expect(overrides.length).toBeGreaterThan(0);
    for (const o of overrides) expect(o.launchTemplate).toEqual({ id: 'lt-x86', version: '2' });
    expect(w.applier.calls[0]?.args[1]).toEqual({ id: 'lt-ssm', version: '4' });
  });

  it("gives new types the ENA-enabled template the current types launch from, not the group's non-ENA one", async () => {
    const w = world([groupWith('lt-api', ownTemplate('lt-ena'))]);
    w.instanceCatalog.facts = w.instanceCatalog.facts.map((f) => ({ ...f, enaSupport: 'required' as const }));
    w.instanceCatalog.templates['lt-api'] = {
      launchTemplateId: 'lt-api',
      versionNumber: 4,
      imageArchitecture: 'x86_64',
      launchRequirements: { imageEnaSupport: false },
    };
    w.instanceCatalog.templates['lt-ena'] = {
      launchTemplateId: 'lt-ena',
      versionNumber: 2,
      imageArchitecture: 'x86_64',
      launchRequirements: { imageEnaSupport: true },
    };
    const api = await run(w);
    expect(api.kind).toBe('applied');
    const overrides = writtenOverrides(w);
    expect(overrides.length).toBeGreaterThan(0);
    for (const o of overrides) expect(o.launchTemplate).toEqual({ id: 'lt-ena', version: '2' });
  });

  it("judges new types by the types launching from the group's template only, and keeps the others' templates", async () => {
    // m7g.large boots lt-ssm's image (arm64); m5.large boots lt-x86's, which says nothing of lt-ssm's.
    const w = world([
      groupWith('lt-ssm', [
        { instanceType: 'm7g.large', weightedCapacity: 2 },
        { instanceType: 'm5.large', weightedCapacity: 2, launchTemplate: { id: 'lt-x86', version: '2' } },
      ]),
    ]);
    w.instanceCatalog.templates['lt-ssm'] = SSM_TEMPLATE;
    const api = await run(w);
    expect(api.kind).toBe('applied');
    expect(recommendationOf(api)).toMatchObject({
      architecture: 'arm64',
      architectureSource: 'current-instance-types',
    });
    for (const o of writtenOverrides(w))
      expect(o.launchTemplate).toEqual(
        o.instanceType === 'm5.large' ? { id: 'lt-x86', version: '2' } : undefined,
      );
  });

  it('applies nothing when the types launch from several templates of their own and none from the group’s', async () => {
    const w = world([
      groupWith('lt-ssm', [
        { instanceType: 'm5.large', weightedCapacity: 2, launchTemplate: { id: 'lt-x86', version: '2' } },
        { instanceType: 'm5.xlarge', weightedCapacity: 4, launchTemplate: { id: 'lt-big', version: '1' } },
      ]),
    ]);
    w.instanceCatalog.templates['lt-ssm'] = SSM_TEMPLATE;
    const api = await run(w);
    expect(api).toMatchObject({
      kind: 'infeasible',
      reason: expect.stringContaining(
        "the group's types launch from 2 launch templates of their own (lt-x86:2, lt-big:1), none from the group's lt-ssm: Prescale cannot tell which AMI a new type would boot",
      ),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('checks again, right before the change, the image of the template the new types would launch from', async () => {
    const w = world([groupWith('lt-ssm', ownTemplate('lt-x86'))]);
    w.instanceCatalog.templates['lt-ssm'] = SSM_TEMPLATE;
    const x86: LaunchTemplateFacts = {
      launchTemplateId: 'lt-x86',
      versionNumber: 2,
      imageArchitecture: 'x86_64',
    };
    w.instanceCatalog.templates['lt-x86'] = x86;
    // lt-x86 version 2 read first as x86_64, then (an owner's new $Default-like edit) as arm64.
    const read = w.instanceCatalog.launchTemplate.bind(w.instanceCatalog);
    let x86Reads = 0;
    w.instanceCatalog.launchTemplate = async (id, version) => {
      const found = await read(id, version);
      if (id !== 'lt-x86') return found;
      return x86Reads++ === 0 ? found : { ...found, imageArchitecture: 'arm64' };
    };
    const api = await run(w);
    expect(api.kind === 'recommended' && api.reason).toMatch(/^pre-apply check failed: .*arm64/);
    expect(w.applier.calls).toEqual([]);
  });
});
