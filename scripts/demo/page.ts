// The demo page, served beside the fake Bot API's control routes: pick who you are, see the chats that
// person has (their groups and their private chat with the bot) as Telegram would show them, press the
// real buttons and type messages. Each press or message becomes an update the real bot receives.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { privateChatOf, type FakeTelegram, type TgChat, type TgUser } from '../../test/fake-telegram';
import { escapeHtml, nameOf, showMessage } from './render';
import type { DemoWorld } from './seed';

export interface DemoPageOptions {
  fake: FakeTelegram;
  world: DemoWorld;
  /** Where the web console is, and the worker's token for it. */
  console: { url: string; token: string };
  /** How long a press waits for the bot's answer before the page gives up on a toast. */
  answerWaitMs?: number;
}

const CLIENT_JS = readFileSync(path.join(__dirname, 'client.js'), 'utf8');
const STYLE_CSS = readFileSync(path.join(__dirname, 'style.css'), 'utf8');

export function mountDemoPage(app: Express, opts: DemoPageOptions): void {
  const { fake, world } = opts;
  const answerWaitMs = opts.answerWaitMs ?? 30_000;
  const byId = new Map(world.people.map((p) => [p.user.id, p]));
  const groupById = new Map(world.groups.map((g) => [g.chat.id, g.chat]));

  const person = (raw: unknown) => byId.get(Number(raw));
  /** The chats this person has on Telegram: the private chat with the bot, then their groups. */
  const chatsOf = (user: TgUser): TgChat[] => [privateChatOf(user), ...byId.get(user.id)!.groups.map((id) => groupById.get(id)!)];
  const titleOf = (chat: TgChat) => (chat.type === 'private' ? fake.botInfo.first_name : (chat.title ?? String(chat.id)));
  const lastText = (chatId: number) => {
    const last = fake.chatMessages(chatId).at(-1);
    return last ? `${last.from?.is_bot ? '' : `${nameOf(last.from)}: `}${(last.text ?? '').split('\n')[0]!.slice(0, 80)}` : '';
  };
  /** The person and the chat a request names, or a 4xx saying what is wrong. */
  function resolve(req: Request, res: Response, from: Record<string, unknown>): { user: TgUser; chat: TgChat } | undefined {
    const p = person(from.user);
    if (!p) {
      res.status(400).json({ error: 'user must be one of the demo people' });
      return undefined;
    }
    const chat = chatsOf(p.user).find((c) => c.id === Number(from.chat));
    if (!chat) {
      res.status(403).json({ error: `${nameOf(p.user)} is not in chat ${String(from.chat)}` });
      return undefined;
    }
    return { user: p.user, chat };
  }

  app.get('/', (_req, res) => {
    res.type('html').send(pageHtml(world, opts.console));
  });
  app.get('/demo.js', (_req, res) => {
    res.type('application/javascript').send(CLIENT_JS);
  });
  app.get('/demo.css', (_req, res) => {
    res.type('text/css').send(STYLE_CSS);
  });
  app.get('/_demo/people', (_req, res) => {
    res.json(world.people.map((p) => ({ id: p.user.id, name: nameOf(p.user), role: p.role, language: p.user.language_code ?? 'en' })));
  });
  app.get('/_demo/chats', (req, res) => {
    const p = person(req.query.user);
    if (!p) {
      res.status(400).json({ error: 'user must be one of the demo people' });
      return;
    }
    res.json(chatsOf(p.user).map((c) => ({ id: c.id, type: c.type, title: titleOf(c), last: lastText(c.id), count: fake.chatMessages(c.id).length })));
  });
  app.get('/_demo/messages', (req, res) => {
    const r = resolve(req, res, req.query as Record<string, unknown>);
    if (!r) return;
    res.json({ chat: { id: r.chat.id, type: r.chat.type, title: titleOf(r.chat) }, messages: fake.chatMessages(r.chat.id).map(showMessage) });
  });
  app.post('/_demo/send', express.json(), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = resolve(req, res, body);
    if (!r) return;
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (text === '' || text.length > 4096) {
      res.status(400).json({ error: 'text must be 1 to 4096 characters' });
      return;
    }
    fake.pushUpdate(fake.textUpdate(r.user, r.chat, text));
    res.json({ ok: true });
  });
  app.post('/_demo/press', express.json(), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = resolve(req, res, body);
    if (!r) return;
    const message = fake.message(r.chat.id, Number(body.message_id));
    if (!message || typeof body.data !== 'string') {
      res.status(400).json({ error: 'message_id must be a message in this chat, and data its button\'s callback data' });
      return;
    }
    const update = fake.callbackUpdate(r.user, message, body.data);
    const queryId = update.callback_query!.id;
    const answered = fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.ok && String(c.params.callback_query_id) === queryId, answerWaitMs);
    fake.pushUpdate(update);
    try {
      const answer = (await answered).params;
      res.json({
        answered: true,
        ...(typeof answer.text === 'string' ? { text: answer.text } : {}),
        ...(answer.show_alert === true || answer.show_alert === 'true' ? { alert: true } : {}),
        ...(typeof answer.url === 'string' ? { url: answer.url } : {}),
      });
    } catch {
      res.json({ answered: false });
    }
  });
}

function pageHtml(world: DemoWorld, consoleLink: { url: string; token: string }): string {
  const options = world.people.map((p) => `<option value="${p.user.id}">${escapeHtml(`${nameOf(p.user)}: ${p.role}`)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Micro-wish demo: ${escapeHtml(world.communityName)}</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header>
  <label class="who">You are <select id="who" aria-label="Who are you"><option value="">choose someone…</option>${options}</select></label>
  <a class="console" href="${escapeHtml(consoleLink.url)}" target="_blank" rel="noopener" title="Worker token: ${escapeHtml(consoleLink.token)}">Console ↗</a>
</header>
<main id="main" class="no-person">
  <section id="intro">
    <h1>Micro-wish bot: a demo without Telegram</h1>
    <p>The community <b>${escapeHtml(world.communityName)}</b> has two Telegram groups, a social worker, donors of every kind, a resident and wishes in every state. Everything here goes through the real bot over a stand-in for Telegram.</p>
    <p>Choose who you are above. Then open a group and press <b>Claim</b> on a card as a donor, or type <code>/mypledges</code>, <code>/profile</code> or <code>/start</code> in your private chat with the bot.</p>
    <p>The web console opens beside this page with the worker's token: <code>${escapeHtml(consoleLink.token)}</code></p>
  </section>
  <nav id="chats" aria-label="Chats"></nav>
  <section id="chat" aria-live="polite">
    <div class="chat-head"><button id="back" type="button" aria-label="Back to chats">‹</button><span id="chat-title"></span></div>
    <div id="messages"></div>
    <form id="compose" autocomplete="off"><input id="text" name="text" placeholder="Message" aria-label="Message"><button type="submit">Send</button></form>
  </section>
</main>
<div id="toast" role="status" hidden></div>
<script src="/demo.js"></script>
</body>
</html>
`;
}
