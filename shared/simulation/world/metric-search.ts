import { MetricMathError } from './evaluate-metric-math';
import type { MetricId } from './metric-store';

/**
 * A CloudWatch search query (SEARCH's first argument) as the simulation evaluates it: an optional
 * metric schema `{Namespace, DimensionName, ...}` (a metric matches when it is in that namespace
 * with exactly those dimension names) and exact-match terms `Designator="value"` (designators
 * `MetricName`, `Namespace` or a dimension name), all of which must hold.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html
 */
export interface MetricSearchQuery {
  readonly schema?: { readonly namespace: string; readonly dimensionNames: readonly string[] };
  readonly terms: readonly { readonly designator: string; readonly value: string }[];
}

/** A schema name: bare (letters, digits, `/ _ . - :`) or double-quoted (spaces and the rest). */
const NAME = /\s*(?:"([^"]*)"|([A-Za-z0-9/_.:-]+))\s*/y;
/** An exact-match term, optionally joined to the previous one by AND. */
const TERM = /\s*(?:AND\s+)?([A-Za-z0-9_.:/-]+)\s*=\s*"([^"]*)"/y;

/**
 * Parses `text`, the query inside SEARCH's single quotes.
 * @throws MetricMathError (with `expression`) on a malformed query, on one with neither schema nor
 * term, and on what the simulation does not evaluate (partial-match terms, OR, NOT, parentheses):
 * refused rather than answered loosely.
 */
export function parseMetricSearch(text: string, expression: string): MetricSearchQuery {
  let index = 0;
  let schema: MetricSearchQuery['schema'];
  const open = /\s*\{/y;
  if (open.test(text)) {
    index = open.lastIndex;
    const names: string[] = [];
    for (;;) {
      NAME.lastIndex = index;
      const m = NAME.exec(text);
      if (!m) throw new MetricMathError(expression, `SEARCH: malformed metric schema in '${text}'`);
      names.push((m[1] ?? m[2]) as string);
      index = NAME.lastIndex;
      const next = text[index];
      index += 1;
      if (next === '}') break;
      if (next !== ',') throw new MetricMathError(expression, `SEARCH: malformed metric schema in '${text}'`);
    }
    const [namespace, ...dimensionNames] = names;
    schema = { namespace: namespace as string, dimensionNames };
  }
  const terms: { designator: string; value: string }[] = [];
  while (!/^\s*$/.test(text.slice(index))) {
    TERM.lastIndex = index;
    const m = TERM.exec(text);
    if (!m)
      throw new MetricMathError(
        expression,
        `SEARCH: the simulation evaluates only exact-match terms Name="value" joined by AND, got '${text.slice(index).trim()}'`,
      );
    terms.push({ designator: m[1] as string, value: m[2] as string });
    index = TERM.lastIndex;
  }
  if (!schema && terms.length === 0)
    throw new MetricMathError(expression, 'SEARCH: a query needs a metric schema, a search term or both');
  return { ...(schema ? { schema } : {}), terms };
}

/** Whether `metric` satisfies `query`'s schema and every one of its terms. */
export function matchesMetricSearch(metric: MetricId, query: MetricSearchQuery): boolean {
  const names = Object.keys(metric.dimensions);
  if (query.schema) {
    const wanted = query.schema.dimensionNames;
    if (metric.namespace !== query.schema.namespace) return false;
    if (names.length !== new Set(wanted).size || !wanted.every((n) => names.includes(n))) return false;
  }
  return query.terms.every(({ designator, value }) =>
    designator === 'MetricName'
      ? metric.metricName === value
      : designator === 'Namespace'
        ? metric.namespace === value
        : metric.dimensions[designator] === value,
  );
}
