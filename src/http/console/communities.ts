import { IRouter } from 'express';
import { communitiesFor } from './board';
import { BASE, ConsoleDeps, pageContext } from './context';
import { pageHandler } from './errors';
import { html } from './html';
import { page } from './layout';

/** Each community the reader may see: its link code, its linked groups and its workers. */
export function communityRoutes(router: IRouter, deps: ConsoleDeps): void {
  router.get(
    `${BASE}/communities`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const communities = await communitiesFor(deps, ctx);
      const sections = await Promise.all(
        communities.map(async (c) => {
          const [groups, workers] = await Promise.all([deps.groupsOf?.(c.id) ?? [], deps.workersOf?.(c.id) ?? []]);
          return html`<section aria-labelledby="c-${c.id}" class="community">
            <h2 id="c-${c.id}">${c.name}</h2>
            <p>${ctx.t('console.community.linkCode', { code: c.linkCode })}</p>
            <h3>${ctx.t('console.community.groups')}</h3>
            ${groups.length === 0
              ? html`<p>${ctx.t('console.community.noGroups')}</p>`
              : html`<ul>${groups.map((g) => html`<li>${g.title}${g.language ? html` <span class="meta">(${ctx.t('console.community.language', { language: g.language === 'zh' ? '中文' : 'English' })})</span>` : ''}</li>`)}</ul>`}
            <h3>${ctx.t('console.community.workers')}</h3>
            ${workers.length === 0
              ? html`<p>${ctx.t('console.community.noWorkers')}</p>`
              : html`<ul>${workers.map((w) => html`<li>${w.name}${w.username ? html` <span class="meta">@${w.username}</span>` : ''}</li>`)}</ul>`}
          </section>`;
        }),
      );
      res.setHeader('Cache-Control', 'no-store');
      res.send(String(page(ctx, ctx.t('console.community.heading'), html`<h1>${ctx.t('console.community.heading')}</h1>${sections}`)));
    }),
  );
}
