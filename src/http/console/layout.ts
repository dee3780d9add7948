import { isStaff, mayUse } from '../../domain/roles';
import { BASE, PageContext } from './context';
import { Html, html, Interpolation } from './html';

/** The language links keep the page and its query, with `lang` set. */
function languageHref(ctx: PageContext, lang: string): string {
  const url = new URL(ctx.url, 'http://console.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** A link of the main navigation, marked as the current page when it is. */
function navLink(ctx: PageContext, href: string, label: string): Html {
  const current = new URL(ctx.url, 'http://console.invalid').pathname.replace(/\/$/, '') === href.replace(/\/$/, '');
  return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;
}

function header(ctx: PageContext): Html {
  const actor = ctx.actor;
  const languages = html`<nav class="lang" aria-label="${ctx.t('console.lang.label')}">
    <a href="${languageHref(ctx, 'en')}" lang="en" hreflang="en" ${ctx.lang === 'en' ? html`aria-current="true"` : ''}>English</a>
    <a href="${languageHref(ctx, 'zh')}" lang="zh" hreflang="zh" ${ctx.lang === 'zh' ? html`aria-current="true"` : ''}>中文</a>
  </nav>`;
  if (!actor) return html`<header class="top"><p class="brand">${ctx.t('console.title')}</p>${languages}</header>`;
  const role = ctx.t(actor.kind === 'admin' ? 'console.role.admin' : actor.kind === 'worker' ? 'console.role.worker' : 'console.role.auditor');
  return html`<header class="top">
    <p class="brand"><a href="${BASE}/">${ctx.t('console.title')}</a></p>
    ${languages}
    <nav class="main-nav" aria-label="${ctx.t('console.nav.label')}">
      <ul>
        ${navLink(ctx, `${BASE}/`, ctx.t('console.nav.board'))}
        ${mayUse(actor, 'write') ? navLink(ctx, `${BASE}/wishes/new`, ctx.t('console.nav.newWish')) : ''}
        ${ctx.hasIntakes && isStaff(actor) ? navLink(ctx, `${BASE}/intakes`, ctx.t('console.nav.intakes')) : ''}
        ${navLink(ctx, `${BASE}/communities`, ctx.t('console.nav.communities'))}
        ${navLink(ctx, `${BASE}/donors`, ctx.t('console.nav.donors'))}
        ${ctx.hasDirectory ? navLink(ctx, `${BASE}/directory`, ctx.t('console.nav.directory')) : ''}
        ${ctx.hasTeams ? navLink(ctx, `${BASE}/teams`, ctx.t('console.nav.teams')) : ''}
        ${ctx.hasStock ? navLink(ctx, `${BASE}/stock`, ctx.t('console.nav.stock')) : ''}
        ${ctx.hasReports ? navLink(ctx, `${BASE}/reports`, ctx.t('console.nav.reports')) : ''}
        ${ctx.hasExports ? navLink(ctx, `${BASE}/exports`, ctx.t('console.nav.exports')) : ''}
      </ul>
    </nav>
    <div class="who">
      <span>${ctx.t('console.signedInAs', { name: actor.name ?? actor.id, role })}</span>
      <form method="post" action="${BASE}/sign-out" class="inline">
        <input type="hidden" name="_csrf" value="${ctx.csrf}">
        <button type="submit" class="link">${ctx.t('console.nav.signOut')}</button>
      </form>
    </div>
    ${actor.kind === 'auditor' ? html`<p class="note" role="note">${ctx.t('console.readOnly')}</p>` : ''}
  </header>`;
}

/** A whole page: one <h1>, a skip link, the header, <main>. Scripts and styles are files of ours (no inline code, no CDN). */
export function page(ctx: PageContext, title: string, body: Interpolation, opts: { bodyClass?: string } = {}): Html {
  return html`<!doctype html>
<html lang="${ctx.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${ctx.t('console.title')}</title>
<link rel="stylesheet" href="${BASE}/assets/console.css">
<script src="${BASE}/assets/console.js" defer></script>
</head>
<body${opts.bodyClass ? html` class="${opts.bodyClass}"` : ''}>
<a class="skip" href="#main">${ctx.t('console.skip')}</a>
${header(ctx)}
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`;
}

/** A message after an action (POST, then redirect here with `?done=`): announced, not focused. */
export function flash(message: string | undefined): Html | string {
  return message ? html`<p class="flash" role="status">${message}</p>` : '';
}

/** A hidden CSRF field for every form that changes something. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

/** A one-button form that posts an action on a wish (with the CSRF field). */
export function actionForm(ctx: PageContext, wish: { id: string }, action: string, label: string, extra: Html | string = '', cls = ''): Html {
  return html`<form method="post" action="${BASE}/wishes/${wish.id}/${action}" class="inline ${cls}">${csrfField(ctx)}${extra}<button type="submit">${label}</button></form>`;
}
