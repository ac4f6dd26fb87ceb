/**
 * EC2's On-Demand vCPU quotas: every running On-Demand instance counts its vCPUs against the quota
 * of its family's class, one quota per class and region ("Running On-Demand Standard (A, C, D, H,
 * I, M, R, T, Z) instances", "Running On-Demand G and VT instances", ...; EC2 user guide, On-Demand
 * Instance quotas). A type of another class than the group's may pass every other check and still
 * fail every launch with a vCPU-limit error, since an account's quota for a class it never ran is
 * often small or zero.
 */

/** The classes of EC2's On-Demand vCPU quotas. */
export type OnDemandQuotaClass =
  | 'standard'
  | 'x'
  | 'f'
  | 'g-and-vt'
  | 'p'
  | 'inf'
  | 'trn'
  | 'dl'
  | 'hpc'
  | 'high-memory';

/** The quota's name in Service Quotas, by class. */
export const ON_DEMAND_QUOTA_NAME: Readonly<Record<OnDemandQuotaClass, string>> = {
  standard: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
  x: 'Running On-Demand X instances',
  f: 'Running On-Demand F instances',
  'g-and-vt': 'Running On-Demand G and VT instances',
  p: 'Running On-Demand P instances',
  inf: 'Running On-Demand Inf instances',
  trn: 'Running On-Demand Trn instances',
  dl: 'Running On-Demand DL instances',
  hpc: 'Running On-Demand HPC instances',
  'high-memory': 'Running On-Demand High Memory instances',
};

/**
 * Family prefixes, longest first where one begins another (`hpc` before `h`, `inf` before `i`,
 * `dl` before `d`, `trn` before `t`, `mac` before `m`). `mac` has no On-Demand quota of shared
 * tenancy (Mac instances run on Dedicated Hosts): undefined.
 */
const PREFIXES: readonly (readonly [string, OnDemandQuotaClass | undefined])[] = [
  ['hpc', 'hpc'],
  ['inf', 'inf'],
  ['trn', 'trn'],
  ['mac', undefined],
  ['dl', 'dl'],
  ['vt', 'g-and-vt'],
  ['u', 'high-memory'],
  ['x', 'x'],
  ['f', 'f'],
  ['g', 'g-and-vt'],
  ['p', 'p'],
  ...['a', 'c', 'd', 'h', 'i', 'm', 'r', 't', 'z'].map((letter) => [letter, 'standard'] as const),
];

/**
 * The On-Demand quota class of an instance family (`m7g`, `g5`, `u-6tb1`), or undefined for a
 * family of no class known here.
 */
export function onDemandQuotaClass(family: string): OnDemandQuotaClass | undefined {
  return PREFIXES.find(([prefix]) => family.startsWith(prefix))?.[1];
}
