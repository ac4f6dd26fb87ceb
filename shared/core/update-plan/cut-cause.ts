/**
 * `text` cut to at most `maxChars` characters (code points, so no character is split), saying
 * that it was cut, by how much, and where the whole text is (`fullTextAt`). The update plan's
 * state repeats each child's failure cause in its log, its step and its notification, and Step
 * Functions fails an execution whose state passes 256 KiB with States.DataLimitExceeded, which no
 * Catch sees (no undo, no notification): so a cause is kept in part, the rest being in the child
 * execution's own history. @throws RangeError when `maxChars` is below 100 (no room to say why).
 */
export function cutCause(text: string, maxChars: number, fullTextAt: string): string {
  if (!(maxChars >= 100)) throw new RangeError(`maxChars must be at least 100; got ${maxChars}`);
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const note = ` … [cut: ${chars.length} characters in all; the full text is in ${fullTextAt}]`;
  const keep = Math.max(0, maxChars - Array.from(note).length);
  return `${chars.slice(0, keep).join('')}${note}`;
}
