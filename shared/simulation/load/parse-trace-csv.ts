import { TraceFormatError } from './trace-format-error';

/** One row of a trace file. */
export interface TracePoint {
  readonly timestampMs: number;
  readonly value: number;
}

/** How strictly to read a trace. */
export interface ParseTraceOptions {
  /**
   * Average rows that share a timestamp instead of rejecting the file (some CloudWatch exports
   * repeat a timestamp around clock changes). @default false
   */
  readonly mergeDuplicates?: boolean;
  /** Fewest data rows accepted. @default 12 */
  readonly minRows?: number;
  /** Shortest time span from first to last row, in seconds. @default 86400 (one day) */
  readonly minSpanSeconds?: number;
}

/** What parsing found besides the points. */
export interface ParsedTrace {
  readonly points: TracePoint[];
  readonly mergedDuplicates: number;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

function parseTimestamp(text: string): number {
  const naive = NAIVE.exec(text);
  if (naive) {
    // Timestamps without a zone are UTC, as CloudWatch exports are.
    const [, y, mo, d, h, mi, s] = naive;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
    const check = new Date(ms);
    return check.getUTCDate() === Number(d) && check.getUTCMonth() === Number(mo) - 1 ? ms : Number.NaN;
  }
  if (/^\d{9,13}$/.test(text)) {
    const n = Number(text);
    return text.length <= 10 ? n * 1000 : n;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return Date.parse(text);
  return Number.NaN;
}

function stripQuotes(field: string): string {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Rows read so far under one timestamp: their sum and count, and the line of the first. */
interface TimestampRows {
  readonly timestampMs: number;
  sum: number;
  count: number;
  readonly line: number;
}

/**
 * Parses a `timestamp,value` CSV with a header line, as CloudWatch exports and the NAB corpus
 * write it. Timestamps are `YYYY-MM-DD HH:MM[:SS]` (UTC), ISO 8601, or epoch seconds/ms.
 * Blank lines are ignored; CRLF and a UTF-8 BOM are accepted.
 * @param source the file name, used in error messages.
 * @throws TraceFormatError naming the line for a missing or malformed header, a row with missing
 *   or extra columns, a timestamp or value that is not one, a negative value, a timestamp earlier
 *   than the row before it, a duplicate timestamp (unless `mergeDuplicates`), and a trace that is
 *   too short.
 */
export function parseTraceCsv(text: string, source: string, options: ParseTraceOptions = {}): ParsedTrace {
  const minRows = options.minRows ?? 12;
  const minSpanSeconds = options.minSpanSeconds ?? 86_400;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = checkHeader(lines, source);

  const points: TimestampRows[] = [];
  let mergedDuplicates = 0;
  for (let i = headerIndex + 1; i < lines.length; i += 1) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    if (addRow(points, raw, i + 1, source, options)) mergedDuplicates += 1;
  }
  checkLength(points, source, minRows, minSpanSeconds);
  return {
    points: points.map((p) => ({ timestampMs: p.timestampMs, value: p.sum / p.count })),
    mergedDuplicates,
  };
}

/** The index of the header line, checked to be a two-column header and not a data row. */
function checkHeader(lines: readonly string[], source: string): number {
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0)
    throw new TraceFormatError(
      source,
      undefined,
      'the file is empty; expected a header `timestamp,value` and data rows',
    );
  const header = (lines[headerIndex] as string).split(',').map(stripQuotes);
  if (header.length !== 2) {
    throw new TraceFormatError(
      source,
      headerIndex + 1,
      `expected the header \`timestamp,value\` (2 columns), got ${header.length} column(s): "${lines[headerIndex]}"`,
    );
  }
  if (Number.isFinite(parseTimestamp(header[0] as string)) && Number.isFinite(Number(header[1]))) {
    throw new TraceFormatError(
      source,
      headerIndex + 1,
      `expected the header \`timestamp,value\`, got a data row "${lines[headerIndex]}"`,
    );
  }
  return headerIndex;
}

/**
 * Reads data row `raw` (on 1-based `line`) onto `points`, merging it into the row before when it
 * repeats that timestamp and `mergeDuplicates` allows it. Returns whether it was merged.
 */
function addRow(
  points: TimestampRows[],
  raw: string,
  line: number,
  source: string,
  options: ParseTraceOptions,
): boolean {
  const { timeText, timestampMs, value } = parseRow(raw, line, source);
  const previous = points[points.length - 1];
  if (previous && timestampMs < previous.timestampMs) {
    throw new TraceFormatError(
      source,
      line,
      `timestamp ${timeText} is earlier than the one on line ${previous.line}; rows must be sorted by time`,
    );
  }
  if (previous && timestampMs === previous.timestampMs) {
    if (!options.mergeDuplicates) {
      throw new TraceFormatError(
        source,
        line,
        `duplicate timestamp ${timeText} (also on line ${previous.line}); remove it or merge duplicates (--merge-duplicates averages them)`,
      );
    }
    previous.sum += value;
    previous.count += 1;
    return true;
  }
  points.push({ timestampMs, sum: value, count: 1, line });
  return false;
}

/** One data row's timestamp and value, each checked on its own. */
function parseRow(
  raw: string,
  line: number,
  source: string,
): { timeText: string; timestampMs: number; value: number } {
  const fields = raw.split(',').map(stripQuotes);
  if (fields.length !== 2) {
    throw new TraceFormatError(
      source,
      line,
      `expected 2 columns (timestamp,value), got ${fields.length}: "${raw}"`,
    );
  }
  const [timeText, valueText] = fields as [string, string];
  const timestampMs = parseTimestamp(timeText);
  if (!Number.isFinite(timestampMs)) {
    throw new TraceFormatError(
      source,
      line,
      `timestamp "${timeText}" is not a date (expected YYYY-MM-DD HH:MM:SS, ISO 8601 or epoch seconds)`,
    );
  }
  const value = valueText === '' ? Number.NaN : Number(valueText);
  if (!Number.isFinite(value))
    throw new TraceFormatError(source, line, `value "${valueText}" is not a number`);
  if (value < 0)
    throw new TraceFormatError(source, line, `value ${value} is negative; load cannot be negative`);
  return { timeText, timestampMs, value };
}

/** Rejects a trace with too few rows or too short a span. */
function checkLength(
  points: readonly TimestampRows[],
  source: string,
  minRows: number,
  minSpanSeconds: number,
): void {
  const last = points[points.length - 1];
  const first = points[0];
  if (!first || !last || points.length < minRows) {
    throw new TraceFormatError(
      source,
      last?.line,
      `too short: ${points.length} data row(s), expected at least ${minRows}`,
    );
  }
  const spanSeconds = (last.timestampMs - first.timestampMs) / 1000;
  if (spanSeconds < minSpanSeconds) {
    throw new TraceFormatError(
      source,
      last.line,
      `too short: rows cover ${(spanSeconds / 3600).toFixed(1)} h, expected at least ${(minSpanSeconds / 3600).toFixed(1)} h`,
    );
  }
}
