import { IRouter } from 'express';
import { MonthlyReport } from '../../domain/reports/monthly';
import { canSee } from '../../domain/roles';
import { dayIn } from '../../domain/time';
import { money } from '../../ui/format';
import { monthName } from '../../ui/monthly';
import { BASE, ConsoleDeps, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html, trusted } from './html';
import { page } from './layout';

// Reports: each community's last six months, the same figures as the monthly summary and the report
// API, as a table and a bar chart per month (plain SVG drawn here: no script, no chart library).

const MONTHS = 6;

function lastMonths(now: Date, timeZone: string, n: number): string[] {
  let [y, m] = dayIn(now, timeZone).split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) [y, m] = [y - 1, 12];
  }
  return out;
}

/** One bar chart: a bar per month, its value written on it; the numbers are also in the table. */
function chart(ctx: PageContext, label: string, months: MonthlyReport[], value: (r: MonthlyReport) => number, shown: (n: number) => string): Html {
  const max = Math.max(1, ...months.map(value));
  const w = 300;
  const bar = w / months.length;
  const bars = months
    .map((r, i) => {
      const h = Math.round((value(r) / max) * 100);
      const x = Math.round(i * bar + 6);
      return `<rect x="${x}" y="${120 - h}" width="${Math.round(bar - 12)}" height="${h}" fill="#2f6f4f"></rect><text x="${x + Math.round(bar / 2 - 6)}" y="${115 - h}" font-size="10" text-anchor="middle">${shown(value(r)).replace(/[<&>"]/g, '')}</text><text x="${x + Math.round(bar / 2 - 6)}" y="134" font-size="9" text-anchor="middle">${r.month.slice(5)}</text>`;
    })
    .join('');
  return html`<figure><figcaption>${label}</figcaption><svg role="img" aria-label="${label}" viewBox="0 0 ${w} 140" width="480" height="224" class="chart">${trusted(bars)}</svg></figure>`;
}

export function reportRoutes(router: IRouter, deps: ConsoleDeps): void {
  if (!deps.reports) return;
  const reports = deps.reports;
  router.get(
    `${BASE}/reports`,
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const ctx = pageContext(req, deps, req.consoleSession);
      const months = lastMonths(deps.clock(), deps.timezone, MONTHS);
      const sections: Html[] = [];
      for (const c of (await deps.communities.list()).filter((x) => canSee(actor, x.id))) {
        const rows: MonthlyReport[] = [];
        for (const m of months) rows.push(await reports.monthly(c.id, m, actor));
        sections.push(html`<section class="community"><h2>${c.name}</h2>
          <table><thead><tr><th scope="col">${ctx.t('console.reports.month')}</th><th scope="col">${ctx.t('impact.wishes')}</th><th scope="col">${ctx.t('impact.money')}</th><th scope="col">${ctx.t('impact.goods')}</th><th scope="col">${ctx.t('impact.hours')}</th><th scope="col">${ctx.t('console.reports.thanked')}</th></tr></thead>
          <tbody>${rows.map((r) => html`<tr><td>${monthName(r.month, ctx.lang)}</td><td>${r.wishesFulfilled}</td><td>${money(r.amountRaised, ctx.currency)}</td><td>${r.goodsDistributed}</td><td>${r.volunteerHours}</td><td>${[...r.donors.named, ...(r.donors.others > 0 ? [ctx.t('monthly.others', { count: r.donors.others })] : [])].join(', ')}</td></tr>`)}</tbody></table>
          ${chart(ctx, ctx.t('impact.wishes'), rows, (r) => r.wishesFulfilled, String)}
          ${chart(ctx, ctx.t('impact.money'), rows, (r) => r.amountRaised, (n) => money(n, ctx.currency))}
          ${chart(ctx, ctx.t('impact.hours'), rows, (r) => r.volunteerHours, String)}
        </section>`);
      }
      res.setHeader('Cache-Control', 'no-store');
      res.send(String(page(ctx, ctx.t('console.reports.heading'), html`<h1>${ctx.t('console.reports.heading')}</h1><p>${ctx.t('console.reports.help')}</p>${sections}`)));
    }),
  );
}
