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

  it("refuses a slot too short for the refresh of its headroom, on the deployed defaults' preferences", async () => {
    // 90/110 % healthy and 300 s warmup, as deployed: web's refresh from 6 to 9 replaces one
    // instance at a time, 63 minutes; the slots whose peaks need that headroom are refused.
    const busier = await updatePlanSection(dependencyScenario({ baseLoad: 400 }), { slotCount: 8 });
    expect(busier.result.plan.kind).toBe('planned');
    expect(busier.text).toMatch(
      /^ {2}web {2}slot 6 \(2024-01-09 08:00 UTC\): the refresh of the headroom its p90 [\d.]+ needs \(desired 6 → 9\) takes an estimated 63 minutes, longer than the slot's 60 minutes/m,
    );
  });

  it('refuses a slot too short for the refresh with the rollingUpdate preferences given', async () => {
    // 900 s warmup: web's refresh from desired 4 to 6 takes 102 minutes, longer than a 1-h slot.
    const slow = await updatePlanSection(dependencyScenario(), {
      slotCount: 8,
      rollingUpdate: { instanceWarmupSeconds: 900 },
    });
    expect(slow.result.plan.kind).toBe('infeasible');
    expect(slow.text).toContain(
      "web: no slot keeps enough healthy capacity with the refresh of its headroom within the slot: slot 1 (2024-01-09 03:00 UTC): the refresh of the headroom its p90 240.57 needs (desired 4 → 6) takes an estimated 102 minutes, longer than the slot's 60 minutes (desired 4 alone: 68 minutes)",
    );
  });

  it('counts the bake time in the refresh a slot must hold', async () => {
    // 30 minutes of BakeTime after web's 42-minute refresh from desired 4 to 6: past a 1-h slot.
    const baked = await updatePlanSection(dependencyScenario(), {
      slotCount: 8,
      rollingUpdate: { bakeTimeSeconds: 1800 },
    });
    expect(baked.text).toContain(
      "slot 1 (2024-01-09 03:00 UTC): the refresh of the headroom its p90 240.57 needs (desired 4 → 6) takes an estimated 72 minutes, longer than the slot's 60 minutes (desired 4 alone: 58 minutes)",
    );
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
