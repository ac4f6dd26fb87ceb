/**
 * The perfect-foresight policy: the capacity to ask for at step `index` is the most demand in
 * [index, index + leadSteps], so an instance launched now (ready one lead time later) is there
 * for every step it is needed, and capacity is released as soon as no step within one lead time
 * needs it. With the same launch delay as everyone else, this is the physical limit.
 * @param demandPerStep instances needed per step.
 */
export function oracleCapacity(demandPerStep: readonly number[], index: number, leadSteps: number): number {
  let need = 0;
  const end = Math.min(demandPerStep.length - 1, index + leadSteps);
  for (let i = index; i <= end; i += 1) need = Math.max(need, demandPerStep[i] as number);
  return need;
}

/** Instances needed for `load`: ceil(load / targetLoadPerInstance), at least one (a group keeps one instance). */
export function demandInstances(load: number, targetLoadPerInstance: number): number {
  return Math.max(1, Math.ceil(load / targetLoadPerInstance - 1e-9));
}
