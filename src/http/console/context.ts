import { InvitationService } from '../../domain/resources/invitations';
import { MatchService } from '../../domain/resources/match-service';
import { ConsentFlow } from '../../domain/wish/consent-flow';
import { TeamService } from '../../domain/teams/service';
import { Area } from '../../domain/resources/types';
import { ResourceService } from '../../domain/resources/service';
import { ReportService } from '../../domain/reports/service';
import { StockService } from '../../domain/stock/service';
import { SurplusService } from '../../domain/stock/surplus';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Request, Response } from 'express';
import { Logger } from 'pino';
import { TokenResolver } from '../../domain/access';
import { AssessmentStore } from '../../domain/assessment';
import { Clock } from '../../domain/clock';
import { CommunityService, Language } from '../../domain/community';
import { IntakeStore } from '../../domain/intake';
import { InviteService } from '../../domain/invites';
import { PersonStore } from '../../domain/people';
import { WishService } from '../../domain/wish/service';
import { Actor } from '../../domain/wish/types';
import { ConsoleSession, ConsoleSessionStore } from '../../db/console-session-store';
import { MessageKey, Params, t } from '../../ui/i18n';

/** A download the Exports page offers; the exports feature provides it, the console only signs the reader in. */
export interface ConsoleExport {
  /** Its URL: /console/exports/<name> (letters, digits, dots and dashes, such as `ledger.csv`). */
  name: string;
  title: Record<Language, string>;
  /** Writes the file for this reader (a worker only their communities; the export checks) and the form's choices. */
  send(actor: Actor, query: { communityId?: string; from?: string; to?: string; language: Language }, res: Response): Promise<void>;
}

/** Volunteer teams for the Teams page (src/http/console/teams.ts). */
export interface ConsoleTeams {
  service: TeamService;
  postCard(requestId: string): Promise<void>;
  /** Who may lead a team: people of the community the bot can write to (directory entries with Telegram, workers). */
  candidates(communityId: string): Promise<Array<{ telegramId: number; name: string }>>;
  areasOf(communityId: string): Promise<Area[]>;
}

/** What the console needs beyond the app's own services; the console is mounted only when these are given. */
export interface ConsoleOptions {
  /** The bot's token: Mini App `initData` is signed with it. */
  botToken: string;
  sessions: ConsoleSessionStore;
  /** The staff actor a Telegram user is (an admin by ADMIN_TELEGRAM_IDS, a worker by invitation), if any. */
  actorForTelegramUser(telegramId: number): Promise<Actor | undefined>;
  /** Whether the API token with this sha256 still stands; a session it signed in ends once it does not. Default: it does. */
  tokenStillValid?(tokenHash: string): Promise<boolean>;
  /** A community's linked groups, for the groups and workers page. */
  groupsOf?(communityId: string): Promise<Array<{ chatId: number; title: string; language?: Language }>>;
  /** A community's workers, for the groups and workers page. */
  workersOf?(communityId: string): Promise<Array<{ telegramId: number; name: string; username?: string }>>;
  /** Needs assessments (absent: the wish page has no assessment section). */
  assessments?: AssessmentStore;
  /** Matching and quiet invitations (absent: the wish page has no suggestions). */
  matching?: { matches: MatchService; invitations: InvitationService; areaName(communityId: string): Promise<(areaId: string) => string> };
  /** Goods in stock and surplus offers (absent: no Stock page). */
  stock?: { service: StockService; surplus: SurplusService; postSurplusCard(offerId: string): Promise<void> };
  /** Monthly figures for the Reports page (absent: no Reports page). */
  reports?: ReportService;
  /** The resource directory and who was not asked for a while (absent: no Directory page). */
  directory?: { resources: ResourceService; matching: Pick<MatchService, 'resting'> };
  /** Volunteer teams and their service requests (absent: no Teams page). */
  teams?: ConsoleTeams;
  /** Residents' intakes and who links a resident to the draft made from theirs (absent: no Intakes page). */
  intakes?: { store: IntakeStore };
  /** Downloads on the Exports page (absent: no Exports page). */
  exports?: ConsoleExport[];
  /** ISO 4217 code shown on amounts (default CNY). */
  currency?: string;
  /** How long a session lasts (default 12 h). */
  sessionHours?: number;
  /** No change for this many days marks a live wish stale on the board (default 5). */
  staleAfterDays?: number;
  /** A deadline this close marks a live wish on the board (default 3 days). */
  deadlineWarningDays?: number;
}

export interface ConsoleDeps extends ConsoleOptions {
  logger: Logger;
  wishes: WishService;
  consent: ConsentFlow;
  communities: CommunityService;
  invites: InviteService;
  resolveToken: TokenResolver;
  clock: Clock;
  timezone: string;
  botUsername(): string | undefined;
  /** Who donors are now (names, donor profiles, for the Donors page): without it donors show only what their pledges recorded. */
  people?: Pick<PersonStore, 'many'>;
}

export const BASE = '/console';
export const SESSION_COOKIE = 'mw_console';
export const LANG_COOKIE = 'mw_lang';

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The cookies of a request, by name (the first of each). */
export function cookiesOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a cookie that is not ours
    }
  }
  return out;
}

export function setCookie(req: Request, res: Response, name: string, value: string, opts: { maxAgeSeconds?: number; httpOnly?: boolean } = {}): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${BASE}`, 'SameSite=Strict'];
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  if (req.secure) parts.push('Secure');
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${opts.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

/** A CSRF token: an HMAC of the session's secret, so nothing more is stored and it is checked in constant time. */
export function csrfToken(secret: string): string {
  return createHmac('sha256', secret).update('console-form').digest('base64url');
}

export function csrfMatches(secret: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Whether a state-changing request comes from our own pages. A browser's Sec-Fetch-Site is
 * authoritative when sent (a page cannot forge it); else the Origin, when sent, must be this site.
 * Neither (an old browser, a script): the CSRF token alone decides.
 */
export function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = req.get('origin');
  return origin === undefined || origin === `${req.protocol}://${req.get('host')}`;
}

/** The page's language: `?lang=` (remembered in a cookie), the cookie, else the browser's Accept-Language. */
export function languageOf(req: Request): Language {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (asked === 'en' || asked === 'zh') return asked;
  const saved = cookiesOf(req)[LANG_COOKIE];
  if (saved === 'en' || saved === 'zh') return saved;
  return /^\s*zh/i.test(req.get('accept-language') ?? '') ? 'zh' : 'en';
}

/** Everything a page renders with: who, in which language, the form token. */
export interface PageContext {
  lang: Language;
  t(key: MessageKey, params?: Params): string;
  session?: ConsoleSession;
  actor?: Actor;
  csrf: string;
  /** The path and query of this page, for the language links. */
  url: string;
  timezone: string;
  currency: string;
  /** Whether the header links to the Exports page. */
  hasExports: boolean;
  /** Whether the header links to the Intakes page (staff only). */
  hasIntakes?: boolean;
  /** Whether the header links to the Teams page. */
  hasTeams?: boolean;
  /** Whether the header links to the Directory page. */
  hasDirectory?: boolean;
  /** Whether the header links to the Reports page. */
  hasReports?: boolean;
  /** Whether the header links to the Stock page. */
  hasStock?: boolean;
}

export function pageContext(req: Request, deps: Pick<ConsoleDeps, 'timezone' | 'currency' | 'exports' | 'intakes' | 'teams' | 'directory' | 'reports' | 'stock'>, session?: ConsoleSession): PageContext {
  const lang = languageOf(req);
  return {
    lang,
    t: (key, params) => t(lang, key, params),
    session,
    actor: session?.actor,
    csrf: session ? csrfToken(session.csrfSecret) : '',
    url: req.originalUrl,
    timezone: deps.timezone,
    currency: deps.currency ?? 'CNY',
    hasExports: (deps.exports?.length ?? 0) > 0,
    hasIntakes: deps.intakes !== undefined,
    hasTeams: deps.teams !== undefined,
    hasDirectory: deps.directory !== undefined,
    hasReports: deps.reports !== undefined,
    hasStock: deps.stock !== undefined,
  };
}

/** Dates as people read them in the page's language and the service's zone. */
export function formatDate(d: Date, ctx: Pick<PageContext, 'lang' | 'timezone'>, withTime = false): string {
  return new Intl.DateTimeFormat(ctx.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: ctx.timezone,
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(d);
}

/** YYYY-MM-DD of a date in the zone: what an <input type=date> shows. */
export function isoDay(d: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
