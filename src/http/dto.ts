import { Community } from '../domain/community';
import { remainingAmount } from '../domain/wish/views';
import { WishState } from '../domain/wish/types';
import { CommunityDto, WishDto } from './schemas';

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
