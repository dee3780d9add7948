import { TELEGRAM_TEXT_LIMIT } from '../../src/ui/card';
import { renderMyData } from '../../src/ui/mydata';
import { ResidentData } from '../../src/domain/erasure';

// /mydata in plain language, escaped, and in pieces Telegram accepts however much is stored.

const at = new Date('2026-11-22T09:00:00Z');
const base: ResidentData = {
  telegramId: 42,
  profile: { name: 'Rosa <b>', username: 'rosa_tg', language: 'en' },
  wishes: [{ code: 'W-1001', title: 'Warm blanket', status: 'open', alias: 'resident, Building 9', consents: [{ purpose: 'publish', answer: 'given' }], contact: '555 & 0199', notes: 'Uses a wheelchair' }],
  intakes: [{ at, words: 'I need a blanket', voice: false, status: 'new' }],
  messages: [{ at, code: 'W-1001' }],
  pledges: [{ code: 'W-1002', category: 'cash', amount: 20, status: 'confirmed', at }],
  assessments: 1,
};

describe('renderMyData', () => {
  it('lists profile, wishes with their private details and consents, intakes, messages and pledges, escaped (en)', () => {
    const [text, ...rest] = renderMyData(base, { language: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(rest).toEqual([]);
    for (const part of ['Rosa &lt;b&gt;', '@rosa_tg', 'W-1001 “Warm blanket” (open)', 'resident, Building 9', 'contact: 555 &amp; 0199', 'notes: Uses a wheelchair', "Show the card in the community's groups: yes", 'I need a blanket', ': 1 (22 Nov)', 'W-1002: ¥20, confirmed', '/erase']) {
      expect(text).toContain(part);
    }
  });

  it('lists the volunteer teams they are in and what they offered to the directory, in both languages', () => {
    const data: ResidentData = { ...base, teams: [{ name: 'Haircut <team>', lead: true, slots: 2, minutes: 90 }], offers: [{ name: 'Rosa mends coats', state: 'proposed' }] };
    const [en] = renderMyData(data, { language: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(en).toContain('Haircut &lt;team&gt; (you lead it): signed up for 2 slot(s) now held, 1.5 h confirmed');
    expect(en).toContain('Rosa mends coats (waiting for a worker)');
    const [zh] = renderMyData(data, { language: 'zh', timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(zh).toContain('（您是队长）：当前报名 2 个时段，已确认 1.5 小时');
    expect(zh).toContain('Rosa mends coats（等待社工确认）');
  });

  it('in Chinese too', () => {
    const [text] = renderMyData(base, { language: 'zh', timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(text).toContain('我保存的关于您的信息');
    expect(text).toContain('联系方式：555 &amp; 0199');
  });

  it('a long history comes in several messages, each under the limit', () => {
    const intakes = Array.from({ length: 60 }, (_, i) => ({ at, words: `request ${i}: ${'words '.repeat(30)}`, voice: false, status: 'new' }));
    const pieces = renderMyData({ ...base, intakes }, { language: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(pieces.join('\n')).toContain('request 59');
  });

  it('someone the bot keeps nothing about is told so', () => {
    const [text] = renderMyData({ telegramId: 42, wishes: [], intakes: [], messages: [], pledges: [], assessments: 0 }, { language: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(text).toContain('I keep no profile of you.');
  });
});
