import { namedError } from './rolling-update-harness';
import { type Outcome, settleExecution } from './rolling-update-run';
import { startUpdatePlan } from './update-plan-harness';
import { GROUPS, type Json, PLAN, type PlanWorld, T0 } from './update-plan-world';

/** Runs the update-plan `definition` as execution `PLAN` on a world, to its outcome. */
export function planRunner(definition: unknown) {
  return (world: PlanWorld, input: Json, handlers = world.handlers()): Promise<Outcome> => {
    const execution = startUpdatePlan(definition, input, handlers, {
      name: PLAN,
      arn: `arn:aws:states:eu-west-1:123456789012:execution:UpdatePlans:${PLAN}`,
      startTime: new Date(T0).toISOString(),
    });
    return settleExecution(execution, world.entered);
  };
}

/** A plan request for every group of the world to version 7, one at a time, due in 6 hours. */
export const planRequest = (extra: Json = {}) => ({
  groups: GROUPS.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
  maxConcurrentUpdates: 1,
  deadline: new Date(T0 + 6 * 3_600_000).toISOString(),
  ...extra,
});

/** The world's handlers with "Decide next plan step" failing with `error` after the steps `failAfter` picks. */
export function failingDecide(
  world: PlanWorld,
  error: string,
  failAfter: (step: Json | undefined) => boolean,
) {
  const handlers = world.handlers();
  const decide = handlers['Decide next plan step'] as (input: unknown) => Promise<unknown>;
  handlers['Decide next plan step'] = async (input) => {
    if (failAfter((input as { step?: Json }).step)) throw namedError(error, 'Rate Exceeded.');
    return decide(input);
  };
  return handlers;
}

/** Every plan lock the world holds is gone. */
export function expectAllLocksReleased(world: PlanWorld) {
  expect([...world.planStore.locks.values()]).toEqual([]);
}
