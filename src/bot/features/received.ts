import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { isStaff } from '../../domain/roles';
import { escapeHtml } from '../../ui/format';
import { BotContext, BotDeps, isPrivate } from '../context';
import { replyHtml, replyRefusal } from './reply';

// /received: a worker records goods that arrived, in one line, with a photo if they like (send the
// photo with the command as its caption): `/received 200 masks from Harbour Realty`, or
// `/received 200 口罩 来自 幸福里物业`. A worker of several communities starts with its link code.

const LINE = /^(?:([0-9A-Za-z]{4,32})\s+)?(\d{1,7})\s+(.+?)\s+(?:from|来自|由)\s+(.+)$/su;

export function receivedFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  async function record(ctx: BotContext, text: string, photoFileId?: string) {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/received' }));
    if (!actor || !isStaff(actor) || !deps.stock) return ctx.reply(t('refusal.forbidden'));
    const m = LINE.exec(text.trim());
    if (!m) return replyHtml(ctx, t('received.usage'));
    const [, code, quantity, name, from] = m as unknown as [string, string | undefined, string, string, string];
    const mine = actor.kind === 'admin' ? [] : (actor.communityIds ?? []);
    const community = code ? await deps.communities.byLinkCode(code) : mine.length === 1 ? await deps.communities.get(mine[0]!) : null;
    if (!community) return replyHtml(ctx, t(code ? 'received.unknownCode' : 'received.whichCommunity'));
    try {
      const { state } = await deps.stock.receive({ communityId: community.id, name, quantity: Number(quantity), from: { name: from }, ...(photoFileId ? { photoFileId } : {}) }, actor);
      return replyHtml(ctx, t('received.done', { quantity, unit: escapeHtml(state.unit), name: escapeHtml(state.name), from: escapeHtml(from), available: state.available, community: escapeHtml(community.name), photo: photoFileId ? 1 : '' }));
    } catch (err) {
      return replyRefusal(ctx, err);
    }
  }

  c.command('received', (ctx) => record(ctx, ctx.payload));
  c.on(message('photo'), async (ctx, next) => {
    const caption = ctx.message.caption ?? '';
    const m = /^\/received(?:@\w+)?\s*(.*)$/su.exec(caption.trim());
    if (!m) return next();
    const largest = ctx.message.photo.at(-1);
    return record(ctx, m[1] ?? '', largest?.file_id);
  });
  return c;
}
