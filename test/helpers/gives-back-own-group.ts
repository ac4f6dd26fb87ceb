/**
 * The dispatcher's give-back of a group this deployment owns but no longer enrolls: only where the
 * group's `prescale:deployment` tag names the stack, and only its look-ahead, bounds and that tag.
 */
export function givesBackOwnGroup(s: { Action: string | string[]; Condition?: unknown }): boolean {
  const giveBack = [
    'autoscaling:BatchDeleteScheduledAction',
    'autoscaling:UpdateAutoScalingGroup',
    'autoscaling:PutWarmPool',
    'autoscaling:DeleteTags',
  ];
  return (
    JSON.stringify(s.Condition ?? {}).includes('"autoscaling:ResourceTag/prescale:deployment":"') &&
    [s.Action].flat().every((a) => giveBack.includes(a))
  );
}
