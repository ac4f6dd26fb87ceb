import { Ec2CpuMonitoring } from '../../../../shared/simulation/world/ec2-cpu-monitoring';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;

describe('Ec2CpuMonitoring', () => {
  it('publishes every minute with detailed monitoring, one 5-minute average at the window start with basic', () => {
    const put: [string, number, number][] = [];
    const monitoring = new Ec2CpuMonitoring((g, t, v) => put.push([g, t, v]));
    for (let m = 0; m < 10; m += 1) {
      monitoring.record('detailed', START + m * MINUTE, m, true);
      monitoring.record('basic', START + m * MINUTE, m, false);
    }
    expect(put.filter(([g]) => g === 'detailed')).toHaveLength(10);
    expect(put.filter(([g]) => g === 'basic')).toEqual([
      ['basic', START, 2],
      ['basic', START + 5 * MINUTE, 7],
    ]);
  });

  it('reports a window whose last minutes had no datapoint when the next window starts', () => {
    const put: [string, number, number][] = [];
    const monitoring = new Ec2CpuMonitoring((g, t, v) => put.push([g, t, v]));
    monitoring.record('g', START, 10, false);
    monitoring.record('g', START + MINUTE, 20, false);
    expect(put).toEqual([]);
    monitoring.record('g', START + 5 * MINUTE, 40, false);
    expect(put).toEqual([['g', START, 15]]);
  });
});
