import { dependencyScenario } from '../../../../shared/simulation/scenarios/dependency-scenario';
import {
  type UpdatePlanSection,
  updatePlanSection,
} from '../../../../shared/simulation/scenarios/update-plan-section';

describe('updatePlanSection', () => {
  // Slots 3 and 4 are web's announced campaign (3×), and api's through the web → api edge.
  let section: UpdatePlanSection;

  beforeAll(async () => {
    section = await updatePlanSection(dependencyScenario(), { slotCount: 8 });
  });

  it('plans web and api in different slots, away from the campaign', () => {
    const plan = section.result.plan;
    expect(plan.kind).toBe('planned');
    if (plan.kind !== 'planned') return;
    const slots = new Map(plan.updates.map((u) => [u.groupName, u.slotIndex]));
    expect([...slots.keys()].sort()).toEqual(['api', 'web']);
    expect(slots.get('web')).not.toBe(slots.get('api'));
    for (const slot of slots.values()) expect([3, 4]).not.toContain(slot);
  });

  it("sees the campaign in api's p90 peaks through the edge", () => {
    const api = section.result.diagnostics.peakLoadBySlot.api ?? [];
    const web = section.result.diagnostics.peakLoadBySlot.web ?? [];
    expect(api[3]).toBeGreaterThan(2.5 * (api[0] as number));
    expect(api[3]).toBeGreaterThanOrEqual(1.5 * (web[3] as number) - 1e-6);
  });

  it('prints the chosen plan and every rejected slot with its reason', () => {
    expect(section.text).toContain('Chosen plan');
    expect(section.text).toContain('Rejected alternatives:');
    expect(section.text).toMatch(
      /web {2}slot 1 \(2024-01-09 03:00 UTC\): api updates .*dependency web → api/,
    );
    expect(section.text.match(/^ {2}(web|api) {2}slot \d/gm)).toHaveLength(16);
    expect(section.html.startsWith('<section id="update-plan">')).toBe(true);
  });
});
