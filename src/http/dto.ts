import { ApiTokenRecord } from '../domain/access';
import { Community } from '../domain/community';
import { DonorPledge, DonorSummary, donorNameFor } from '../domain/donors';
import { Group } from '../domain/groups';
import { DONOR_PREFIX, Person, publicDonorId } from '../domain/people';
import { seesPrivateDetails } from '../domain/roles';
import { remainingAmount } from '../domain/wish/views';
import { isRedacted, needsConsent, publishAnswer } from '../domain/wish/consent';
import { Actor, ActorRef, WishEvent, WishState } from '../domain/wish/types';
import { CommunityDto, DonorDto, DonorPledgeDto, GroupDto, IssuedTokenDto, TokenDto, WishDto, WorkerDto } from './schemas';

export function communityDto(c: Community): CommunityDto {
  return { id: c.id, name: c.name, linkCode: c.linkCode, createdAt: c.createdAt.toISOString() };
}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

/**
 * The API's view of a wish, for `reader`. Staff see the beneficiary's private details and donors' ids;
 * an auditor sees the alias only, donors by publicDonorId, and no name of an anonymous donor.
 */
export function wishDto(w: WishState, reader: Actor): WishDto {
  const full = seesPrivateDetails(reader);
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
    ...(w.areaId ? { areaId: w.areaId } : {}),
    ...(w.skill ? { skill: w.skill } : {}),
    status: w.status,
    beneficiary: full ? w.beneficiary : { alias: w.beneficiary.alias },
    pledges: w.pledges.map((p) => ({
      id: p.id,
      donorId: full ? p.donorId : publicDonorId(p.donorId),
      displayName: full || !p.anonymous ? p.displayName : undefined,
      anonymous: p.anonymous,
      amount: p.amount,
      status: p.status,
      pledgedAt: iso(p.pledgedAt),
      deliveredAt: iso(p.deliveredAt),
      confirmedAt: iso(p.confirmedAt),
      closedAt: iso(p.closedAt),
    })),
    consent: consentDto(w),
    createdAt: iso(w.createdAt),
    publishedAt: iso(w.publishedAt),
    closedAt: iso(w.closedAt),
    updatedAt: iso(w.updatedAt),
    version: w.version,
  };
}

function consentDto(w: WishState): WishDto['consent'] {
  const publish = publishAnswer(w);
  const asked = w.consentAsked !== undefined && (w.consents?.publish?.seq ?? 0) < w.consentAsked.seq;
  return { required: needsConsent(w), ...(publish ? { publish, via: w.consents!.publish!.via } : {}), asked, redacted: isRedacted(w) };
}

/** An event's actor as a reader who may not see Telegram ids sees it: a person by their public id, named only if staff. */
function publicActor(a: ActorRef): ActorRef {
  const id = a.id.startsWith(DONOR_PREFIX) ? publicDonorId(a.id) : a.id;
  return { kind: a.kind, id, ...(a.name && a.kind !== 'donor' && a.kind !== 'resident' ? { name: a.name } : {}) };
}

/** One event of a wish's history, for `reader`: an auditor gets it without private details, as in wishDto. */
export function wishEventDto(e: WishEvent, reader: Actor): Record<string, unknown> & { at: string } {
  const at = e.at.toISOString();
  if (seesPrivateDetails(reader)) return { ...e, at };
  const base = { ...e, at, actor: publicActor(e.actor) };
  switch (e.type) {
    case 'created': {
      const { workerTelegramId: _worker, beneficiary, ...wish } = e.wish;
      return { ...base, wish: { ...wish, beneficiary: { alias: beneficiary.alias } } };
    }
    case 'pledged': {
      const { displayName, ...rest } = e;
      return { ...rest, at, actor: publicActor(e.actor), donorId: publicDonorId(e.donorId), ...(e.anonymous || displayName === undefined ? {} : { displayName }) };
    }
    case 'message': {
      // That a message was relayed, and between whom; never its words, who exactly, or the worker's name.
      const { text: _text, to, fromName: _name, key: _key, pledgeId: _pledge, ...rest } = e;
      return { ...rest, at, actor: publicActor(e.actor), ...(to ? { to: { kind: to.kind } } : {}) };
    }
    case 'resident_linked':
    case 'resident_erased': {
      const { residentId: _resident, ...rest } = e;
      return { ...rest, at, actor: publicActor(e.actor) };
    }
    case 'consent': {
      // The worker's note of what the resident said in person is for staff.
      const { note: _note, ...rest } = e;
      return { ...rest, at, actor: publicActor(e.actor) };
    }
    default:
      return base;
  }
}

/** A stored token as lists show it: never its secret or hash. */
export function tokenDto(r: ApiTokenRecord): TokenDto {
  return {
    id: r.id,
    role: r.role,
    communityIds: r.communityIds,
    label: r.label,
    ...(r.telegramId !== undefined ? { telegramId: r.telegramId } : {}),
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    ...(r.via ? { via: r.via } : {}),
    ...(r.revokedAt ? { revokedAt: r.revokedAt.toISOString() } : {}),
  };
}

/** A token just issued: its secret, this once. */
export function issuedTokenDto(r: ApiTokenRecord, token: string): IssuedTokenDto {
  return {
    id: r.id,
    token,
    role: r.role,
    communityIds: r.communityIds,
    label: r.label,
    ...(r.telegramId !== undefined ? { telegramId: r.telegramId } : {}),
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * A donor as this reader may see them. Staff (admins, workers) see the donor id, Telegram id and
 * username, and the name even of an anonymous donor (they arrange deliveries). Auditors see the
 * public id only, and no name when the donor chose anonymity.
 */
export function donorDto(d: DonorSummary, staff: boolean): DonorDto {
  const displayName = donorNameFor(d, staff);
  return {
    id: staff ? d.donorId : d.publicId,
    publicId: d.publicId,
    ...(displayName !== undefined ? { displayName } : {}),
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
