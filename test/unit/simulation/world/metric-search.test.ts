import { MetricMathError } from '../../../../shared/simulation/world/evaluate-metric-math';
import { matchesMetricSearch, parseMetricSearch } from '../../../../shared/simulation/world/metric-search';

const cpuOfGroup = {
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensions: { AutoScalingGroupName: 'web' },
};
const cpuOfInstance = {
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensions: { InstanceId: 'i-1' },
};
const cpuOfNothing = { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: {} };
const inService = {
  namespace: 'AWS/AutoScaling',
  metricName: 'GroupInServiceInstances',
  dimensions: { AutoScalingGroupName: 'web' },
};
const custom = {
  namespace: 'My App',
  metricName: 'Queue Depth',
  dimensions: { 'Service Name': 'api', Stage: 'prod' },
};
const all = [cpuOfGroup, cpuOfInstance, cpuOfNothing, inService, custom];
const find = (text: string) => {
  const query = parseMetricSearch(text, `SEARCH('${text}', 'Average')`);
  return all.filter((m) => matchesMetricSearch(m, query));
};

describe('parseMetricSearch and matchesMetricSearch', () => {
  it('matches the schema on the namespace and exactly its dimension names', () => {
    expect(find('{AWS/EC2,AutoScalingGroupName}')).toEqual([cpuOfGroup]);
    expect(find(' { AWS/EC2 , InstanceId } ')).toEqual([cpuOfInstance]);
    expect(find('{AWS/EC2}')).toEqual([cpuOfNothing]);
    expect(find('{"My App",Stage,"Service Name"}')).toEqual([custom]);
    expect(find('{"My App",Stage}')).toEqual([]);
  });

  it('matches exact terms on the metric name, the namespace and dimension values, all of them', () => {
    expect(find('MetricName="CPUUtilization"')).toEqual([cpuOfGroup, cpuOfInstance, cpuOfNothing]);
    expect(find('AutoScalingGroupName="web"')).toEqual([cpuOfGroup, inService]);
    expect(
      find(
        '{AWS/AutoScaling,AutoScalingGroupName} MetricName="GroupInServiceInstances" AutoScalingGroupName="web"',
      ),
    ).toEqual([inService]);
    expect(find('Namespace="AWS/EC2" AND AutoScalingGroupName="web"')).toEqual([cpuOfGroup]);
    expect(find('MetricName="Queue Depth" Stage="prod"')).toEqual([custom]);
    // Exact means exact: no partial or case-insensitive match.
    expect(find('MetricName="CPU"')).toEqual([]);
    expect(find('AutoScalingGroupName="Web"')).toEqual([]);
  });

  it('refuses malformed queries and what the simulation does not evaluate, naming it', () => {
    const refused = (text: string) => () => parseMetricSearch(text, 'e');
    expect(refused('')).toThrow(/needs a metric schema, a search term or both/);
    expect(refused('{AWS/EC2,InstanceId')).toThrow(/malformed metric schema/);
    expect(refused('CPUUtilization')).toThrow(/only exact-match terms/);
    expect(refused('MetricName=CPUUtilization')).toThrow(/only exact-match terms/);
    expect(refused('MetricName="a" OR MetricName="b"')).toThrow(/only exact-match terms/);
    expect(refused('NOT MetricName="a"')).toThrow(MetricMathError);
  });
});
