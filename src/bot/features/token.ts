import { Composer } from 'telegraf';
import { ISSUABLE_ROLES, IssuableRole } from '../../domain/access';
import { Community } from '../../domain/community';
import { IssuedToken } from '../../domain/tokens';
import { escapeHtml } from '../../ui/format';
import { BotContext, BotDeps, isPrivate } from '../context';
import { replyHtml, replyRefusal } from './reply';

/**
 * /token in a private chat: a worker gets an API token for their own communities (a new one revokes
 * the one they had from the bot); an admin issues one for someone else with
 * `/token worker|auditor <link code or community id> [label]`. A token is never sent in a group.
 */
export function tokenFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  const communityByCodeOrId = async (ref: string): Promise<Community | null> => (await deps.communities.byLinkCode(ref)) ?? (await deps.communities.get(ref));
  const namesOf = async (ids: string[]) => (await Promise.all(ids.map(async (id) => (await deps.communities.get(id))?.name ?? id))).join(', ');
  const secretParams = async ({ record, token }: IssuedToken) => ({ token, id: record.id, communities: escapeHtml(await namesOf(record.communityIds)) });

  c.command('token', async (ctx) => {
    const { t, actor, person } = ctx.local;
    // The reply holds a secret: only in the chat of the person who asked.
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/token' }));
    if (!actor || !person) return ctx.reply(t('token.refused'));

    if (actor.kind === 'admin') {
      const [role, ref, ...rest] = ctx.payload.trim().split(/\s+/).filter(Boolean);
      if (!role || !ref || !(ISSUABLE_ROLES as readonly string[]).includes(role)) return replyHtml(ctx, t('token.usageAdmin'));
      const community = await communityByCodeOrId(ref);
      if (!community) return replyHtml(ctx, t('token.unknownCommunity', { code: escapeHtml(ref) }));
      const roleName = t(role === 'worker' ? 'token.role.worker' : 'token.role.auditor');
      const label = rest.join(' ') || `${roleName}, ${community.name}`;
      try {
        const issued = await deps.tokens.issue({ role: role as IssuableRole, communityIds: [community.id], label }, actor);
        return await replyHtml(ctx, t('token.issuedFor', { ...(await secretParams(issued)), role: roleName, label: escapeHtml(issued.record.label) }));
      } catch (err) {
        return replyRefusal(ctx, err);
      }
    }

    if (actor.kind === 'worker') {
      const issued = await deps.tokens.issueOwn(actor, person.name);
      return replyHtml(ctx, t('token.issuedOwn', await secretParams(issued)));
    }

    return ctx.reply(t('token.refused'));
  });

  return c;
}
