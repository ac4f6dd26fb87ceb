import type { InstanceTypeFacts } from '../../../shared/core/pricing/types';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import {
  type InstanceCatalog,
  LAUNCH_TEMPLATE_VERSION,
  type LaunchTemplateFacts,
} from '../../../shared/ports/instance-catalog';

/** `InstanceCatalog` over in-memory facts, zone offerings and launch templates. */
export class FakeInstanceCatalog implements InstanceCatalog {
  offeringReads = 0;
  failInstanceTypes?: Error;

  constructor(
    public facts: InstanceTypeFacts[],
    /** Types offered per zone. */
    public offerings: Record<string, string[]>,
    public templates: Record<string, LaunchTemplateFacts> = {},
  ) {}

  async instanceTypes(): Promise<InstanceTypeFacts[]> {
    if (this.failInstanceTypes) throw this.failInstanceTypes;
    return [...this.facts];
  }

  async typesOfferedInEveryZone(zones: readonly string[]): Promise<ReadonlySet<string>> {
    this.offeringReads++;
    if (zones.length === 0) return new Set();
    const [first, ...rest] = zones.map((z) => new Set(this.offerings[z] ?? []));
    return new Set([...(first ?? [])].filter((t) => rest.every((s) => s.has(t))));
  }

  async launchTemplate(launchTemplateId: string, version: string): Promise<LaunchTemplateFacts> {
    const found = this.templates[launchTemplateId];
    if (!found) throw new ResourceNotFoundError(LAUNCH_TEMPLATE_VERSION, `${launchTemplateId}:${version}`);
    return found;
  }
}
