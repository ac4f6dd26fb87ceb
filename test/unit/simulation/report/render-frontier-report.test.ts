import { compareFrontiers } from '../../../../shared/simulation/evaluation/compare-frontiers';
import { renderFrontierReport } from '../../../../shared/simulation/report/render-frontier-report';
import { sweepPoint as point } from '../../../helpers/sweep-point';

describe('renderFrontierReport', () => {
  const points = [
    point('prescale', 'target 60 %', 10, 5),
    point('prescale', 'target 55 %', 12, 4),
    point('prescale', 'target 50 %', 14, 1),
    point('reactive', 'target 60 %', 11, 40),
    point('reactive', 'target 40 %', 14, 6),
  ];
  const html = renderFrontierReport(
    [{ name: 'trace <a&b>.csv', evaluatedDays: 1, points, comparison: compareFrontiers(points) }],
    '/* echarts */',
    'sweep of "two" policies',
    '2026-11-29T00:00:00.000Z',
  );

  it('embeds the chart library and the data offline, script-safe', () => {
    expect(html).toContain('/* echarts */');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('trace \\u003ca&b>.csv');
  });

  it("draws Prescale's frontier and, dashed, its lower convex hull, without the point above it", () => {
    const data = JSON.parse((/const DATA = (.*);\n/.exec(html) as RegExpExecArray)[1] as string);
    const prescale = data[0].policies.find((p: { policy: string }) => p.policy === 'prescale');
    expect(prescale.frontier).toEqual([
      [10, 5],
      [12, 4],
      [14, 1],
    ]);
    expect(prescale.hull).toEqual([
      [10, 5],
      [14, 1],
    ]);
    expect(data[0].policies.find((p: { policy: string }) => p.policy === 'reactive').hull).toBeUndefined();
    expect(html).toContain("type: 'dashed'");
  });

  it('escapes trace names and the description in the page text', () => {
    expect(html).toContain('trace &lt;a&amp;b&gt;.csv');
    expect(html).toContain('sweep of &quot;two&quot; policies');
    expect(html).not.toContain('trace <a&b>.csv');
  });

  it('says by how much each rival point Prescale does not dominate escapes', () => {
    const escaping = [point('prescale', 'target 60 %', 10, 5), point('reactive', 'target 80 %', 9, 50)];
    const page = renderFrontierReport(
      [{ name: 't', evaluatedDays: 1, points: escaping, comparison: compareFrontiers(escaping) }],
      '',
      'sweep',
      '2026-12-02T00:00:00.000Z',
    );
    expect(page).toContain(
      '✗ not dominated: target 80 % ($9.00, 50 min; no setting as cheap, +11.1 % cost at ≤ its minutes)',
    );
  });

  it('says in its title and heading when every group had a warm pool', () => {
    const titled = (warmPool: boolean) =>
      renderFrontierReport([], '', 'sweep', '2026-11-30T00:00:00.000Z', { warmPool }).match(
        /<title>(.*)<\/title>[\s\S]*<h1>(.*)<\/h1>/,
      );
    expect(titled(true)?.slice(1)).toEqual([
      'Prescale cost/SLO frontiers, every group with a warm pool',
      'Cost/SLO frontiers, every group with a warm pool',
    ]);
    expect(titled(false)?.slice(1)).toEqual(['Prescale cost/SLO frontiers', 'Cost/SLO frontiers']);
    expect(html).not.toContain('warm pool');
  });
});
