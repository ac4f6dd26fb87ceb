import type { Activity, SimGroup } from '../../../../../shared/simulation/world/auto-scaling/group-state';
import { describeScalingActivities } from '../../../../../shared/simulation/world/auto-scaling/scaling-activities';

const activity = (id: string, startMs: number) =>
  ({ ActivityId: id, StartTime: new Date(startMs) }) as Activity;
const ids = (groups: { activities: Activity[] }[], maxRecords?: number) =>
  (
    describeScalingActivities(groups as unknown as SimGroup[], {
      ...(maxRecords ? { MaxRecords: maxRecords } : {}),
    }) as { Activities: Activity[] }
  ).Activities.map((a) => a.ActivityId);

describe('describeScalingActivities', () => {
  it('lists activities newest first, equal start times in the order they were recorded', () => {
    const group = { activities: [activity('a', 1), activity('b', 2), activity('c', 2), activity('d', 3)] };
    expect(ids([group])).toEqual(['d', 'b', 'c', 'a']);
    expect(ids([group], 2)).toEqual(['d', 'b']);
  });

  it('orders activities recorded out of time order, and across groups, by start time', () => {
    const web = { activities: [activity('w1', 5), activity('w2', 1)] };
    const api = { activities: [activity('a1', 3), activity('a2', 5)] };
    expect(ids([web, api])).toEqual(['w1', 'a2', 'a1', 'w2']);
  });

  it('lists an activity recorded after an earlier call, and a trimmed history as it is now', () => {
    const group = { activities: [activity('a', 1), activity('b', 2)] };
    expect(ids([group])).toEqual(['b', 'a']);
    group.activities.push(activity('c', 3));
    expect(ids([group])).toEqual(['c', 'b', 'a']);
    group.activities = group.activities.slice(-1);
    expect(ids([group])).toEqual(['c']);
  });
});
