import { Composer } from 'telegraf';
import { isStaff } from '../../domain/people';
import { remainingAmount } from '../../domain/wish/evolve';
import { WishState } from '../../domain/wish/types';
import { outboxId } from '../../domain/outbox';
import { callbackData } from '../../ui/callbacks';
import { clip, escapeHtml } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, isPrivate } from '../context';
import { replyHtml } from './reply';

const OPEN = ['open', 'partially_pledged'] as const;

function chatTitle(ctx: AnyBotContext): string {
  return (ctx.chat as { title?: string } | undefined)?.title ?? '';
}

/** Attaching groups to communities, noticing being added or removed, listing open wishes. */
export function groupsFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.command('link', async (ctx) => {
    const { t, actor } = ctx.local;
    if (isPrivate(ctx)) return ctx.reply(t('groupOnly', { command: '/link' }));
    const code = ctx.payload.trim();
    if (!code) return replyHtml(ctx, t('group.link.usage'));
    const community = await deps.communities.byLinkCode(code);
    if (!community) return ctx.reply(t('group.link.unknown'));
    const allowed = actor?.kind === 'admin' || (actor?.kind === 'worker' && actor.communityIds?.includes(community.id));
    if (!allowed) return ctx.reply(t('group.link.staffOnly'));
    const now = deps.clock();
    await deps.groups.link(ctx.chat!.id, chatTitle(ctx), community.id, ctx.from!.id, now);
    await replyHtml(ctx, t('group.link.done', { community: escapeHtml(community.name) }));
    // The group sees the community's open wishes as cards straight away.
    const open = await deps.wishes.list({ communityIds: [community.id], status: [...OPEN], limit: 20 });
    const source = `link:${now.getTime()}`;
    await deps.enqueue(
      open.map((w) => ({ id: outboxId(`${w.id}:${source}`, ctx.chat!.id, 'card'), chatId: ctx.chat!.id, kind: 'card', payload: { type: 'card', wishId: w.id } })),
    );
  });

  c.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type === 'private' || update.chat.type === 'channel') return;
    const status = update.new_chat_member.status;
    const present = status === 'member' || status === 'administrator';
    const title = (update.chat as { title?: string }).title ?? '';
    await deps.groups.setPresence(update.chat.id, title, present, deps.clock());
    const before = update.old_chat_member.status;
    if (present && (before === 'left' || before === 'kicked') && !ctx.local.group?.communityId) {
      await replyHtml(ctx, ctx.local.t('group.added'));
    }
  });

  c.command('wishes', async (ctx) => {
    const { t, group } = ctx.local;
    if (isPrivate(ctx)) return ctx.reply(t('groupOnly', { command: '/wishes' }));
    if (!group?.communityId) return replyHtml(ctx, t('group.notLinked'));
    const open = await deps.wishes.list({ communityIds: [group.communityId], status: [...OPEN], limit: 200 });
    if (open.length === 0) return ctx.reply(t('group.noOpenWishes'));
    const top = sortForDisplay(open).slice(0, 10);
    const lines = top.map((w) => `• <b>${w.code}</b> ${escapeHtml(clip(w.title, 60))}${w.urgency === 'urgent' ? ' ⚡' : ''} – ${progressOf(w)}`);
    const keyboard = top.map((w) => [{ text: `${w.code} · ${clip(w.title, 30)}`, callback_data: callbackData.details(w.id) }]);
    return replyHtml(ctx, `${t('group.openWishes', { count: open.length })}\n${lines.join('\n')}`, keyboard);
  });

  return c;
}

/** Urgent first, then the nearest deadline. */
export function sortForDisplay(wishes: WishState[]): WishState[] {
  return [...wishes].sort((a, b) => (a.urgency === b.urgency ? a.deadline.getTime() - b.deadline.getTime() : a.urgency === 'urgent' ? -1 : 1));
}

function progressOf(w: WishState): string {
  return w.category === 'cash' ? `${w.pledged}/${w.target}` : remainingAmount(w) > 0 ? '0/1' : '1/1';
}

export { isStaff };
