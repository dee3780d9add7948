import { Composer } from 'telegraf';
import { isStaff, isStaffFor } from '../../domain/roles';
import { escapeHtml } from '../../ui/format';
import { BotContext, BotDeps, isPrivate } from '../context';
import { replyHtml } from './reply';

/** Admin tools in private chat: invite workers by one-time link, look up link codes. */
export function adminFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.command('invite', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/invite' }));
    if (actor?.kind !== 'admin') return ctx.reply(t('invite.adminOnly'));
    const codes = ctx.payload.split(/[\s,]+/).filter(Boolean);
    if (codes.length === 0) return replyHtml(ctx, t('invite.usage'));
    const communities = [];
    for (const code of codes) {
      const community = await deps.communities.byLinkCode(code);
      if (!community) return replyHtml(ctx, t('invite.unknownCommunity', { code: escapeHtml(code) }));
      communities.push(community);
    }
    const invite = await deps.invites.inviteWorker(communities.map((x) => x.id), actor);
    const link = `https://t.me/${ctx.botInfo.username}?start=worker_${invite.token}`;
    return replyHtml(ctx, t('invite.created', { communities: escapeHtml(communities.map((x) => x.name).join(', ')), link }));
  });

  c.command('communities', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/communities' }));
    if (!actor || !isStaff(actor)) return ctx.reply(t('refusal.forbidden'));
    const all = await deps.communities.list();
    const visible = all.filter((x) => isStaffFor(actor, x.id));
    if (visible.length === 0) return ctx.reply(t('communities.none'));
    const lines = visible.map((x) => `• ${escapeHtml(x.name)}: <code>${x.linkCode}</code>`).join('\n');
    return replyHtml(ctx, t('communities.list', { lines }));
  });

  return c;
}
