import { utcOffsetMinutes } from '../domain/time';

export interface QuietHours {
  /** Hour of day (0-23) when quiet starts, e.g. 21. */
  from: number;
  /** Hour of day (0-23) when messages may go again, e.g. 8. */
  to: number;
}

/** When a reminder may reach a person: now, or the end of tonight's quiet hours in their time zone. */
export function notBeforeQuiet(now: Date, quiet: QuietHours | undefined, timeZone: string): Date {
  if (!quiet || quiet.from === quiet.to) return now;
  const offset = utcOffsetMinutes(now, timeZone) * 60_000;
  const local = new Date(now.getTime() + offset);
  const hour = local.getUTCHours();
  const inQuiet = quiet.from < quiet.to ? hour >= quiet.from && hour < quiet.to : hour >= quiet.from || hour < quiet.to;
  if (!inQuiet) return now;
  const end = new Date(local);
  end.setUTCHours(quiet.to, 0, 0, 0);
  if (end.getTime() <= local.getTime()) end.setUTCDate(end.getUTCDate() + 1);
  return new Date(end.getTime() - offset);
}
