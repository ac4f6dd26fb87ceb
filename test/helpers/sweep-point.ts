import type { SweepPoint } from '../../shared/simulation/evaluation/compare-frontiers';

/** A knob sweep's point for frontier tests: the 60 % target is the default, ten instance-hours a dollar. */
export const sweepPoint = (
  policy: string,
  knob: string,
  costUsd: number,
  sloViolationMinutes: number,
): SweepPoint => ({
  policy,
  knob,
  isDefault: knob === 'target 60 %',
  costUsd,
  sloViolationMinutes,
  instanceHours: costUsd * 10,
});

/**
 * Two days of one trace on which reactive's default is matched by Prescale's 55 % on the first and
 * its 65 % on the second, each costing twice as much for ten times the minutes on the other day:
 * dominated day by day, not on the sums.
 */
export const anotherSettingEachDay: readonly (readonly SweepPoint[])[] = [
  [
    sweepPoint('reactive', 'target 60 %', 10, 5),
    sweepPoint('prescale', 'target 55 %', 10, 5),
    sweepPoint('prescale', 'target 65 %', 20, 50),
  ],
  [
    sweepPoint('reactive', 'target 60 %', 10, 5),
    sweepPoint('prescale', 'target 55 %', 20, 50),
    sweepPoint('prescale', 'target 65 %', 10, 5),
  ],
];
