import { Composer } from 'telegraf';
import { GroupActorFacts, linkRefusal } from '../../domain/groups';
import { byUrgencyThenDeadline } from '../../domain/wish/views';
import { WishState, WishStatus } from '../../domain/wish/types';
import { isRedacted } from '../../domain/wish/consent';
import { callbackData } from '../../ui/callbacks';
import { clip, escapeHtml, progressText } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, isPrivate } from '../context';
import { replyHtml } from './reply';

const OPEN: WishStatus[] = ['open', 'partially_pledged'];
/** Wishes whose cards a group should show: every published one still running. */
const ON_SHOW: WishStatus[] = ['open', 'partially_pledged', 'fully_pledged'];

/** Kept private by its resident, or their yes withdrawn: never offered to a group again. */
const forGroups = (w: WishState) => !isRedacted(w);

function chatTitle(ctx: AnyBotContext): string {
  return (ctx.chat as { title?: string } | undefined)?.title ?? '';
}

/**
 * What the rules on groups need to know about the sender: admin, the communities they serve, and
 * (for anyone but an admin) their status in this group, asked of Telegram. A status Telegram cannot
 * give (an error) counts as unknown, which no rule takes for an administrator.
 */
export async function groupActorFacts(ctx: AnyBotContext, deps: Pick<BotDeps, 'logger'>): Promise<GroupActorFacts> {
  const actor = ctx.local.actor;
  const facts: GroupActorFacts = { isAdmin: actor?.kind === 'admin', workerOf: actor?.kind === 'worker' ? (actor.communityIds ?? []) : [] };
  if (facts.isAdmin || !ctx.chat || !ctx.from) return facts;
  // Only the group's administrators can write as the group itself (anonymously).
  const senderChat = (ctx.message as { sender_chat?: { id: number } } | undefined)?.sender_chat;
  if (senderChat?.id === ctx.chat.id) return { ...facts, telegramStatus: 'administrator' };
  try {
    const member = await ctx.telegram.getChatMember(ctx.chat.id, ctx.from.id);
    return { ...facts, telegramStatus: member.status };
  } catch (err) {
    deps.logger.warn({ err, chatId: ctx.chat.id }, 'could not read a group member status');
    return facts;
  }
}

/** Attaching groups to communities, noticing being added or removed, listing open wishes. */
export function groupsFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.command('link', async (ctx) => {
    const { t, group } = ctx.local;
    if (isPrivate(ctx)) return ctx.reply(t('groupOnly', { command: '/link' }));
    const code = ctx.payload.trim();
    if (!code) return replyHtml(ctx, t('group.link.usage'));
    const community = await deps.communities.byLinkCode(code);
    if (!community) return ctx.reply(t('group.link.unknown'));
    // Only an admin, or a worker of this community who administers the group on Telegram; and a
    // group linked to another community stays there unless an admin moves it.
    const refusal = linkRefusal(await groupActorFacts(ctx, deps), community.id, group?.communityId);
    if (refusal) return ctx.reply(refusal.code === 'forbidden' ? t('group.link.staffOnly') : t(`refusal.${refusal.code}`));
    const now = deps.clock();
    await deps.groups.link(ctx.chat!.id, chatTitle(ctx), community.id, ctx.from!.id, now);
    await replyHtml(ctx, t('group.link.done', { community: escapeHtml(community.name) }));
    // The group sees the community's open wishes as cards straight away.
    const open = (await deps.wishes.list({ communityIds: [community.id], status: OPEN, limit: 20 })).filter(forGroups);
    await deps.enqueue(deps.relay.requested.cards(ctx.chat!.id, open.sort(byUrgencyThenDeadline), `link:${now.getTime()}`));
  });

  c.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type === 'private' || update.chat.type === 'channel') return;
    const status = update.new_chat_member.status;
    const present = status === 'member' || status === 'administrator';
    const title = (update.chat as { title?: string }).title ?? '';
    const now = deps.clock();
    await deps.groups.setPresence(update.chat.id, title, present, now);
    const before = update.old_chat_member.status;
    if (!present || (before !== 'left' && before !== 'kicked')) return;
    const communityId = ctx.local.group?.communityId;
    if (!communityId) return replyHtml(ctx, ctx.local.t('group.added'));
    // Added back to a linked group: its old cards may be gone or stale, so the running wishes are posted anew.
    const running = (await deps.wishes.list({ communityIds: [communityId], status: ON_SHOW, limit: 50 })).filter(forGroups);
    await deps.enqueue(deps.relay.requested.cards(update.chat.id, running.sort(byUrgencyThenDeadline), `back:${update.date}`, true));
  });

  c.command('wishes', async (ctx) => {
    const { t, group } = ctx.local;
    if (isPrivate(ctx)) return ctx.reply(t('groupOnly', { command: '/wishes' }));
    if (!group?.communityId) return replyHtml(ctx, t('group.notLinked'));
    const open = (await deps.wishes.list({ communityIds: [group.communityId], status: OPEN, limit: 200 })).filter(forGroups);
    if (open.length === 0) return ctx.reply(t('group.noOpenWishes'));
    const top = open.sort(byUrgencyThenDeadline).slice(0, 10);
    const lines = top.map((w) => `• <b>${w.code}</b> ${escapeHtml(clip(w.title, 60))}${w.urgency === 'urgent' ? ' ⚡' : ''} – ${escapeHtml(progressText(w, ctx.local.locale))}`);
    const keyboard = top.map((w) => [{ text: `${w.code} · ${clip(w.title, 30)}`, callback_data: callbackData.details(w.id) }]);
    return replyHtml(ctx, `${t('group.openWishes', { count: open.length })}\n${lines.join('\n')}`, keyboard);
  });

  return c;
}
