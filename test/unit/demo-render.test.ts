import { parseHtml } from '../fake-telegram';
import { entitiesToHtml, showMessage } from '../../scripts/demo/render';

const fromHtml = (html: string) => {
  const { text, entities } = parseHtml(html);
  return entitiesToHtml(text, entities);
};

describe('the demo page shows a message as Telegram would', () => {
  it('renders the entities the bot sent, nested, and escapes the text', () => {
    expect(fromHtml('💰 <b>W-1001 · Bus <i>pass</i></b> &lt;3 &amp; more')).toBe('💰 <b>W-1001 · Bus <i>pass</i></b> &lt;3 &amp; more');
    expect(fromHtml('<a href="https://example.org/a?b=1&amp;c=2">see</a> <code>x</code>')).toBe('<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener">see</a> <code>x</code>');
  });

  it('drops links a page must not follow', () => {
    expect(entitiesToHtml('click', [{ type: 'text_link', offset: 0, length: 5, url: 'javascript:alert(1)' }])).toBe('click');
  });

  it('marks bare links and /commands as Telegram does, but not inside other entities or links', () => {
    const html = fromHtml('Send /help or open https://t.me/bot?start=worker_X1. <b>/not</b>');
    expect(html).toBe('Send <span class="cmd">/help</span> or open <a href="https://t.me/bot?start=worker_X1" target="_blank" rel="noopener">https://t.me/bot?start=worker_X1</a>. <b>/not</b>');
  });

  it('keys a message by what is shown, so an edit redraws it', () => {
    const base = { message_id: 7, chat: { id: -1, type: 'supergroup' as const }, date: 0, from: { id: 1, is_bot: true, first_name: 'Bot' } };
    const before = showMessage({ ...base, text: 'W-1002 waiting', reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'c:W-1002' }]] } });
    const after = showMessage({ ...base, text: 'W-1002 claimed by Emma', edit_date: 5 });
    expect(before.buttons).toEqual([[{ text: 'Claim', data: 'c:W-1002' }]]);
    expect(after.buttons).toEqual([]);
    expect(after.edited).toBe(true);
    expect(after.key).not.toBe(before.key);
  });
});
