import { IRouter } from 'express';
import { NotFoundError } from '../../domain/errors';
import { communitiesFor } from './board';
import { BASE, ConsoleDeps, languageOf, pageContext } from './context';
import { pageHandler } from './errors';
import { html } from './html';
import { page } from './layout';

/** The Exports page: one small form per download (community, period), sent as a plain GET. */
export function exportRoutes(router: IRouter, deps: ConsoleDeps): void {
  const exports = deps.exports ?? [];
  if (exports.length === 0) return;

  router.get(
    `${BASE}/exports`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const communities = await communitiesFor(deps, ctx);
      const forms = exports.map(
        (x, i) => html`<section aria-labelledby="x-${i}">
          <h2 id="x-${i}">${x.title[ctx.lang]}</h2>
          <form method="get" action="${BASE}/exports/${x.name}" class="stack">
            <div class="field">
              <label for="x-${i}-community">${ctx.t('console.board.community')}</label>
              <select id="x-${i}-community" name="communityId">${communities.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select>
            </div>
            <div class="field"><label for="x-${i}-from">${ctx.t('console.exports.from')}</label><input id="x-${i}-from" name="from" type="date"></div>
            <div class="field"><label for="x-${i}-to">${ctx.t('console.exports.to')}</label><input id="x-${i}-to" name="to" type="date"></div>
            <p><button type="submit">${ctx.t('console.exports.download', { name: x.title[ctx.lang] })}</button></p>
          </form>
        </section>`,
      );
      res.send(String(page(ctx, ctx.t('console.exports.heading'), html`<h1>${ctx.t('console.exports.heading')}</h1><p>${ctx.t('console.exports.help')}</p>${forms}`)));
    }),
  );

  router.get(
    `${BASE}/exports/:name`,
    pageHandler(deps, async (req, res) => {
      const x = exports.find((e) => e.name === req.params.name);
      if (!x) throw new NotFoundError('wish_not_found', `No export ${String(req.params.name)}`);
      const one = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
      const query = { communityId: one(req.query.communityId), from: one(req.query.from), to: one(req.query.to) };
      await x.send(req.consoleSession!.actor, { ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)), language: languageOf(req) }, res);
    }),
  );
}
