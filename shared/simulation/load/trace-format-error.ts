/** A trace file that cannot be replayed; `line` is 1-based (the header is line 1) when one line is at fault. */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError' as const;
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${source}: ${reason}` : `${source}, line ${line}: ${reason}`);
  }
}
