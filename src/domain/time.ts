/** Minutes east of UTC that `timeZone` is at the instant `at`. */
export function utcOffsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time (given as if it were UTC milliseconds) happens in `timeZone`. The
 * offset is taken at the instant itself, not at "now": across a DST change they differ by an hour.
 * A wall time that does not exist (skipped by a spring-forward) comes out an hour later.
 */
export function wallToInstant(wallMs: number, timeZone: string): Date {
  const guess = wallMs - utcOffsetMinutes(new Date(wallMs), timeZone) * 60_000;
  return new Date(wallMs - utcOffsetMinutes(new Date(guess), timeZone) * 60_000);
}

/** The wall-clock time at `at` in `timeZone`, as if it were UTC milliseconds (read it with getUTC*). */
export function instantToWall(at: Date, timeZone: string): Date {
  return new Date(at.getTime() + utcOffsetMinutes(at, timeZone) * 60_000);
}

/** The last millisecond of a calendar day (YYYY-MM-DD) as lived in `timeZone`: a deadline "until 12 Dec". */
export function endOfDay(isoDate: string, timeZone: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return wallToInstant(Date.UTC(y, m - 1, d, 23, 59, 59, 999), timeZone);
}

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
