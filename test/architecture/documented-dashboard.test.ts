import { readFileSync } from 'node:fs';
import path from 'node:path';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { REPO_ROOT } from '../helpers/source-imports';

/**
 * The widget titles docs/OPERATIONS.md lists under its "The dashboard" item, one a sub-item in
 * backticks, as patterns: `…` stands for any text (`Dead letters: …`, one widget a queue).
 */
function documentedWidgets(): { title: string; pattern: RegExp }[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/OPERATIONS.md'), 'utf8');
  const item = text.split(/^- \*\*The dashboard\*\*/m)[1]?.split(/\n(?! {2})/)[0] ?? '';
  return [...item.matchAll(/^ {2}- `([^`]+)`/gm)].map((m) => {
    const title = m[1] as string;
    const escaped = title.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return { title, pattern: new RegExp(`^${escaped.join('.+')}$`) };
  });
}

/** The widget titles of the dashboard, every optional widget included (group metrics, the maintenance scan). */
function widgetTitles(): string[] {
  const template = synthesizedTemplate({
    ...TEST_CONFIG,
    groupMetrics: 'metrics',
    rollingUpdate: { autoStartOnScheduledEvents: true },
  });
  const body = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
    .DashboardBody;
  const text = (body['Fn::Join'][1] as unknown[])
    .map((part) => (typeof part === 'string' ? part : '<token>'))
    .join('');
  const widgets = (JSON.parse(text) as { widgets: { properties: { title?: string } }[] }).widgets;
  return widgets.flatMap((w) => (w.properties.title ? [w.properties.title] : []));
}

describe("docs/OPERATIONS.md's dashboard item", () => {
  const documented = documentedWidgets();
  const titles = widgetTitles();

  it('finds the widgets of the dashboard and the titles the item lists', () => {
    expect(titles.length).toBeGreaterThan(10);
    expect(documented.length).toBeGreaterThan(5);
  });

  it('lists every widget the dashboard has, so an operator looking at one finds what it shows', () => {
    expect(titles.filter((title) => !documented.some(({ pattern }) => pattern.test(title)))).toEqual([]);
  });

  it('lists no widget the dashboard does not have', () => {
    const unknown = documented.filter(({ pattern }) => !titles.some((title) => pattern.test(title)));
    expect(unknown.map(({ title }) => title)).toEqual([]);
  });
});
