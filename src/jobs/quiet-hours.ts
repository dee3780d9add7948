import { instantToWall, wallToInstant } from '../domain/time';

export interface QuietHours {
  /** Hour of day (0-23) when quiet starts, e.g. 21. */
  from: number;
  /** Hour of day (0-23) when messages may go again, e.g. 8. */
  to: number;
}

/**
 * When a reminder may go out: now, or the end of tonight's quiet hours on the clocks of the
 * service's time zone (TZ; we do not know each person's own). The end is found on the calendar,
 * then turned into an instant with the offset of that morning, so a DST change overnight still
 * gives 08:00 and not 07:00 or 09:00.
 */
export function notBeforeQuiet(now: Date, quiet: QuietHours | undefined, timeZone: string): Date {
  if (!quiet || quiet.from === quiet.to) return now;
  const local = instantToWall(now, timeZone);
  const hour = local.getUTCHours();
  const inQuiet = quiet.from < quiet.to ? hour >= quiet.from && hour < quiet.to : hour >= quiet.from || hour < quiet.to;
  if (!inQuiet) return now;
  const end = new Date(local);
  end.setUTCHours(quiet.to, 0, 0, 0);
  if (end.getTime() <= local.getTime()) end.setUTCDate(end.getUTCDate() + 1);
  return wallToInstant(end.getTime(), timeZone);
}
