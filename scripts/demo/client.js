/* global document, fetch, location, history, setTimeout, clearTimeout, URL, URLSearchParams */
// The demo page's script: plain JavaScript, no libraries, nothing fetched from elsewhere. It polls the
// fake Telegram for the chosen person's chats once a second and redraws only messages that changed.
'use strict';

(function () {
  const state = { user: '', chat: '', botUsername: '', keys: new Map(), busy: false };
  const $ = (id) => document.getElementById(id);
  const main = $('main');

  async function api(path, body) {
    const res = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : undefined);
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
    return json;
  }

  let toastTimer;
  function toast(text, opts) {
    const el = $('toast');
    el.textContent = '';
    const p = document.createElement('div');
    p.textContent = text;
    el.appendChild(p);
    el.className = opts && opts.alert ? 'alert' : '';
    if (opts && opts.action) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = opts.action.label;
      b.addEventListener('click', () => {
        el.hidden = true;
        opts.action.run();
      });
      el.appendChild(b);
    }
    if (opts && (opts.alert || opts.sticky)) {
      const ok = document.createElement('button');
      ok.type = 'button';
      ok.textContent = opts.alert ? 'OK' : '✕';
      ok.setAttribute('aria-label', 'Close');
      ok.addEventListener('click', () => (el.hidden = true));
      el.appendChild(ok);
    }
    el.hidden = false;
    clearTimeout(toastTimer);
    if (!(opts && (opts.alert || opts.sticky))) toastTimer = setTimeout(() => (el.hidden = true), 6000);
  }

  /** A t.me link to the bot with ?start=…: Telegram would open the private chat and send /start …. */
  function startPayload(href) {
    try {
      const u = new URL(href);
      if (!/^(www\.)?t(elegram)?\.me$/.test(u.hostname)) return undefined;
      const start = u.searchParams.get('start');
      return start === null ? undefined : start;
    } catch {
      return undefined;
    }
  }

  async function openBot(payload) {
    await openChat(state.user);
    await send(payload ? `/start ${payload}` : '/start');
  }

  function saveHash() {
    const parts = [];
    if (state.user) parts.push(`u=${state.user}`);
    if (state.chat) parts.push(`c=${state.chat}`);
    history.replaceState(null, '', parts.length ? `#${parts.join('&')}` : location.pathname);
  }

  function time(unix) {
    const d = new Date(unix * 1000);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }

  function messageElement(m) {
    const el = document.createElement('div');
    el.className = `msg ${String(m.from.id) === state.user ? 'mine' : ''} ${m.from.isBot ? 'bot' : ''}`;
    el.dataset.id = m.id;
    const from = document.createElement('div');
    from.className = 'from';
    from.textContent = m.from.name;
    const body = document.createElement('div');
    body.className = 'body';
    body.innerHTML = m.html; // rendered and escaped by the server from the message's entities
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `${m.edited ? 'edited ' : ''}${time(m.date)}`;
    el.append(from, body, meta);
    if (m.buttons.length) {
      const kb = document.createElement('div');
      kb.className = 'keyboard';
      for (const row of m.buttons) {
        const r = document.createElement('div');
        r.className = 'row';
        for (const b of row) {
          const btn = document.createElement(b.url ? 'a' : 'button');
          btn.className = 'kb';
          btn.textContent = b.text;
          if (b.url) {
            btn.href = b.url;
            btn.target = '_blank';
            btn.rel = 'noopener';
          } else {
            btn.type = 'button';
            btn.addEventListener('click', () => press(m.id, b.data, btn));
          }
          r.appendChild(btn);
        }
        kb.appendChild(r);
      }
      el.appendChild(kb);
    }
    return el;
  }

  async function press(messageId, data, btn) {
    btn.classList.add('pressed');
    try {
      const answer = await api('/_demo/press', { user: Number(state.user), chat: Number(state.chat), message_id: messageId, data });
      const payload = answer.url ? startPayload(answer.url) : undefined;
      // In a group, the bot's next step is often in the private chat: offer to go there, as Telegram's toast would lead one to.
      const inGroup = state.chat !== state.user;
      if (payload !== undefined) toast(answer.text || 'Open the bot to continue', { sticky: true, action: { label: 'Open the bot', run: () => openBot(payload) } });
      else if (answer.text && answer.alert) toast(answer.text, { alert: true });
      else if (answer.text) toast(answer.text, inGroup ? { action: { label: 'Open the bot chat', run: () => openChat(state.user) } } : undefined);
      else if (!answer.answered) toast('The bot did not answer in time');
    } catch (err) {
      toast(String(err.message || err));
    } finally {
      btn.classList.remove('pressed');
      void refresh();
    }
  }

  async function send(text) {
    await api('/_demo/send', { user: Number(state.user), chat: Number(state.chat), text });
    void refresh();
  }

  function drawMessages(data) {
    $('chat-title').textContent = data.chat.title;
    const box = $('messages');
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const seen = new Set();
    let added = false;
    for (const m of data.messages) {
      seen.add(String(m.id));
      const existing = box.querySelector(`.msg[data-id="${m.id}"]`);
      if (existing && state.keys.get(m.id) === m.key) continue;
      const el = messageElement(m);
      state.keys.set(m.id, m.key);
      if (existing) existing.replaceWith(el);
      else {
        box.appendChild(el);
        added = true;
      }
    }
    for (const el of [...box.querySelectorAll('.msg')]) if (!seen.has(el.dataset.id)) el.remove();
    if (added && nearBottom) box.scrollTop = box.scrollHeight;
  }

  function drawChats(chats) {
    const nav = $('chats');
    nav.textContent = '';
    for (const c of chats) {
      const a = document.createElement('button');
      a.type = 'button';
      a.className = `chat-item ${String(c.id) === state.chat ? 'active' : ''}`;
      a.dataset.chat = c.id;
      const t = document.createElement('div');
      t.className = 'title';
      t.textContent = `${c.type === 'private' ? '🤖 ' : '👥 '}${c.title}`;
      const l = document.createElement('div');
      l.className = 'last';
      l.textContent = c.last;
      a.append(t, l);
      a.addEventListener('click', () => openChat(String(c.id)));
      nav.appendChild(a);
    }
  }

  async function openChat(chatId) {
    state.chat = String(chatId);
    state.keys.clear();
    $('messages').textContent = '';
    main.classList.add('in-chat');
    saveHash();
    await refresh();
    const box = $('messages');
    box.scrollTop = box.scrollHeight;
    $('text').focus();
  }

  function choose(userId) {
    state.user = userId;
    state.chat = '';
    state.keys.clear();
    $('messages').textContent = '';
    main.classList.toggle('no-person', !userId);
    main.classList.remove('in-chat');
    saveHash();
    void refresh();
  }

  async function refresh() {
    if (!state.user) return;
    const user = state.user;
    const chats = await api(`/_demo/chats?user=${user}`);
    if (user !== state.user) return;
    drawChats(chats);
    if (state.chat) {
      const chat = state.chat;
      const data = await api(`/_demo/messages?user=${user}&chat=${chat}`);
      if (user === state.user && chat === state.chat) drawMessages(data);
    }
  }

  async function loop() {
    try {
      await refresh();
    } catch {
      // the demo is stopping, or a request failed: try again on the next tick
    }
    setTimeout(loop, 1000);
  }

  $('who').addEventListener('change', (e) => choose(e.target.value));
  $('back').addEventListener('click', () => {
    state.chat = '';
    main.classList.remove('in-chat');
    saveHash();
    void refresh();
  });
  $('compose').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('text');
    const text = input.value.trim();
    if (!text || !state.chat) return;
    input.value = '';
    send(text).catch((err) => toast(String(err.message || err)));
  });
  // Links to the bot (invitations, "open the bot") act as Telegram would: open the private chat with /start.
  $('messages').addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a');
    if (!a) return;
    const payload = startPayload(a.href);
    if (payload === undefined) return;
    e.preventDefault();
    void openBot(payload);
  });
  $('messages').addEventListener('click', (e) => {
    const cmd = e.target.closest && e.target.closest('.cmd');
    if (cmd && state.chat) void send(cmd.textContent);
  });

  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('u')) {
    $('who').value = hash.get('u');
    choose(hash.get('u'));
    if (hash.get('c')) void openChat(hash.get('c'));
  }
  void loop();
})();
