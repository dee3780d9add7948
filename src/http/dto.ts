import { Community } from '../domain/community';
import { DonorPledge, DonorSummary } from '../domain/donors';
import { Group } from '../domain/groups';
import { Person } from '../domain/people';
import { remainingAmount } from '../domain/wish/views';
import { WishState } from '../domain/wish/types';
import { CommunityDto, DonorDto, DonorPledgeDto, GroupDto, WishDto, WorkerDto } from './schemas';

export function communityDto(c: Community): CommunityDto {
  return { id: c.id, name: c.name, linkCode: c.linkCode, createdAt: c.createdAt.toISOString() };
}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

/** The API's view of a wish. Only staff tokens reach it, so beneficiary notes and contact are included. */
export function wishDto(w: WishState): WishDto {
  return {
    id: w.id,
    code: w.code,
    communityId: w.communityId,
    title: w.title,
    description: w.description,
    category: w.category,
    target: w.target,
    ...(w.unit ? { unit: w.unit } : {}),
    pledged: w.pledged,
    remaining: remainingAmount(w),
    deadline: iso(w.deadline),
    urgency: w.urgency,
    status: w.status,
    beneficiary: w.beneficiary,
    pledges: w.pledges.map((p) => ({
      id: p.id,
      donorId: p.donorId,
      displayName: p.displayName,
      anonymous: p.anonymous,
      amount: p.amount,
      status: p.status,
      pledgedAt: iso(p.pledgedAt),
      deliveredAt: iso(p.deliveredAt),
      confirmedAt: iso(p.confirmedAt),
      closedAt: iso(p.closedAt),
    })),
    createdAt: iso(w.createdAt),
    publishedAt: iso(w.publishedAt),
    closedAt: iso(w.closedAt),
    updatedAt: iso(w.updatedAt),
    version: w.version,
  };
}

/**
 * A donor as this reader may see them. Staff (admins, workers) see the donor id, Telegram id and
 * username, and the name even of an anonymous donor (they arrange deliveries). Auditors see the
 * public id only, and no name when the donor chose anonymity.
 */
export function donorDto(d: DonorSummary, staff: boolean): DonorDto {
  const showName = d.displayName !== undefined && (staff || !d.anonymous);
  return {
    id: staff ? d.donorId : d.publicId,
    publicId: d.publicId,
    ...(showName ? { displayName: d.displayName } : {}),
    anonymous: d.anonymous,
    ...(d.type ? { type: d.type } : {}),
    ...(staff && d.telegramId !== undefined ? { telegramId: d.telegramId } : {}),
    ...(staff && d.username ? { username: d.username } : {}),
    pledges: { ...d.pledges },
    fulfilled: { ...d.fulfilled },
    ...(d.lastPledgedAt ? { lastPledgedAt: d.lastPledgedAt.toISOString() } : {}),
  };
}

export function donorPledgeDto(p: DonorPledge): DonorPledgeDto {
  return {
    id: p.id,
    wishId: p.wish.id,
    wishCode: p.wish.code,
    wishTitle: p.wish.title,
    wishStatus: p.wish.status,
    communityId: p.wish.communityId,
    category: p.wish.category,
    ...(p.wish.unit ? { unit: p.wish.unit } : {}),
    amount: p.amount,
    status: p.status,
    pledgedAt: new Date(p.pledgedAt).toISOString(),
    deliveredAt: iso(p.deliveredAt),
    confirmedAt: iso(p.confirmedAt),
    closedAt: iso(p.closedAt),
  };
}

/** A linked group; its chat id for staff only. */
export function groupDto(g: Group, staff: boolean): GroupDto {
  return { ...(staff ? { id: String(g.chatId) } : {}), title: g.title, ...(g.language ? { language: g.language } : {}), linkedAt: iso(g.linkedAt) };
}

/** A worker; their Telegram id and username for staff only. */
export function workerDto(p: Person, staff: boolean): WorkerDto {
  return { name: p.name, ...(staff ? { telegramId: p.telegramId, ...(p.username ? { username: p.username } : {}) } : {}) };
}
