import { IRouter, RequestHandler } from 'express';
import { Logger } from 'pino';
import { CommunityService } from '../domain/community';
import { ReportService } from '../domain/reports/service';
import { ImpactStore } from '../db/impact-store';
import { money } from '../ui/format';
import { MessageKey, t } from '../ui/i18n';
import { monthName } from '../ui/monthly';
import { languageOf } from './console/context';
import { html } from './console/html';

// The public impact page, `/impact/<community id>`, when an admin turned it on: what the community
// achieved so far and the wishes fulfilled that the residents let the groups see, by title and month.
// Nothing about any resident: no alias, no description, no name, no contact, no Telegram id.

export function impactRoutes(app: IRouter, deps: { reports: ReportService; communities: Pick<CommunityService, 'get'>; impact: ImpactStore; currency: string; logger: Logger }): void {
  const handler: RequestHandler = async (req, res) => {
    const lang = languageOf(req);
    const tr = (key: string, params = {}) => t(lang, key as MessageKey, params);
    try {
      const id = String(req.params.id);
      const community = /^[A-Za-z0-9_-]{1,64}$/.test(id) && (await deps.impact.isPublic(id)) ? await deps.communities.get(id) : null;
      if (!community) {
        res.status(404).type('html').send(String(html`<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${tr('impact.notFound')}</title></head><body><main><h1>${tr('impact.notFound')}</h1></main></body></html>`));
        return;
      }
      const { totals, stories } = await deps.reports.impact(community.id);
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type('html').send(
        String(html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${tr('impact.title', { community: community.name })}</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body><main id="main">
<h1>${tr('impact.title', { community: community.name })}</h1>
<p>${tr('impact.intro')}</p>
<dl class="details">
  <div><dt>${tr('impact.wishes')}</dt><dd>${totals.wishesFulfilled}</dd></div>
  <div><dt>${tr('impact.money')}</dt><dd>${money(totals.amountRaised, deps.currency)}</dd></div>
  <div><dt>${tr('impact.goods')}</dt><dd>${totals.goodsDistributed}</dd></div>
  <div><dt>${tr('impact.hours')}</dt><dd>${totals.volunteerHours}</dd></div>
  <div><dt>${tr('impact.donors')}</dt><dd>${totals.donors.named.length + totals.donors.others}</dd></div>
</dl>
<h2>${tr('impact.stories')}</h2>
${stories.length === 0 ? html`<p>${tr('impact.noStories')}</p>` : html`<ul>${stories.map((s) => html`<li>${s.title} · ${tr(`category.${s.category}`)} · ${monthName(s.month, lang)}</li>`)}</ul>`}
<p><a href="?lang=en" hreflang="en">English</a> · <a href="?lang=zh" hreflang="zh">中文</a></p>
</main></body></html>`),
      );
    } catch (err) {
      deps.logger.error({ err }, 'impact page failed');
      res.status(503).type('text').send(tr('error.generic'));
    }
  };
  app.get('/impact/:id', handler);
}
