// Every user-facing string in English. zh.ts must have exactly the same keys (a test checks).
// Values are plain strings or functions of named parameters; HTML where the message is sent as HTML,
// and parameters passed in are already escaped by the caller.

type P = Record<string, string | number>;

export const en = {
  // --- general
  'help.private': (p: P) =>
    `I help your community fulfil residents' small wishes.\n\n` +
    `<b>For everyone</b>\n/mypledges – what you have claimed or pledged\n/profile – how your name appears\n/language – English or 中文\n` +
    (p.staff ? `\n<b>For workers</b>\n/newwish – post a new wish\n/mywishes – wishes you posted\n/token – your API token for the console\n` : '') +
    (p.resident ? `\n/mywishes – how your wish is going\n` : '') +
    (p.admin ? `\n<b>For admins</b>\n/invite &lt;link code&gt; – a one-time link to make someone a worker\n/communities – communities and their link codes\n/token worker|auditor &lt;link code&gt; [label] – an API token for someone else\n` : '') +
    `\nIn a group: /wishes lists the open wishes; press a button on a wish card to help.`,
  'help.group': () =>
    `Press <b>Claim</b> or <b>Pledge</b> on a wish card to help. /wishes lists the open wishes.\nWorkers: /link &lt;link code&gt; attaches this group to your community; /language sets its language.`,
  'start.welcome': (p: P) => `Hello, ${p.name}! 👋\nI help your community fulfil residents' small wishes. /help shows what I can do.`,
  'unknown.command': () => `I don't know that command. /help shows what I can do.`,
  'hint.help': () => `Send /help to see what I can do.`,
  'error.generic': () => `Sorry, something went wrong on our side. Please try again in a moment.`,
  'cancelled': () => `Cancelled. Nothing was saved.`,
  'nothingToCancel': () => `There is nothing to cancel.`,
  'privateOnly': (p: P) => `Please use ${p.command} in a private chat with me.`,
  'groupOnly': (p: P) => `Please use ${p.command} in a group.`,

  // --- refusals: one per code the domain can give (plain text, at most 200 characters: also button answers)
  'refusal.unauthenticated': () => `Please sign in again.`,
  'refusal.forbidden': () => `Sorry, you may not do that.`,
  'refusal.wish_not_found': () => `I could not find that wish.`,
  'refusal.donor_not_found': () => `I could not find that donor.`,
  'refusal.pledge_not_found': () => `I could not find that pledge.`,
  'refusal.community_not_found': () => `I could not find that community.`,
  'refusal.invite_not_found': () => `This link is not valid. Please ask for a new one.`,
  'refusal.token_not_found': () => `I could not find that token.`,
  'refusal.invalid_input': () => `Something in that is not right. Please check it and try again.`,
  'refusal.use_claim': () => `This wish is taken as a whole: press Claim.`,
  'refusal.use_pledge': () => `This is a cash wish: choose an amount to pledge.`,
  'refusal.deadline_passed': () => `Its deadline has passed. Please set a new deadline first.`,
  'refusal.not_published': () => `This wish is not published yet.`,
  'refusal.wish_closed': () => `This wish is closed. Thank you for caring!`,
  'refusal.already_taken': () => `Sorry, someone else already claimed this wish.`,
  'refusal.target_reached': () => `This wish is already fully pledged. Thank you!`,
  'refusal.exceeds_remaining': (p: P) => `Only ${p.remaining} is still needed. Please choose a smaller amount.`,
  'refusal.already_pledged': (p: P) => `You already pledged ${p.amount} to this wish. To change it, withdraw it in /mypledges first.`,
  'refusal.pledge_closed': () => `This pledge was withdrawn or released, so there is nothing more to do.`,
  'refusal.pledge_delivered': () => `This is already delivered, so it can no longer be withdrawn. Thank you!`,
  'refusal.not_due': () => `This wish has not reached its deadline yet.`,
  'refusal.invite_used': () => `This link was already used. Please ask for a new one.`,
  'refusal.invite_expired': () => `This link has expired. Please ask for a new one.`,
  'refusal.busy': () => `Many people are pressing right now. Please try again in a moment.`,
  'refusal.stale_button': () => `This button is no longer valid. Please use the latest card.`,
  'refusal.not_delivered': () => `This has not been marked delivered yet, so it cannot be confirmed.`,
  'refusal.own_pledge': () => `You made this pledge yourself, so the resident or another worker confirms it.`,
  'refusal.group_linked_elsewhere': () => `This group belongs to another community. Only an admin can move it.`,
  'refusal.not_group_admin': () => `Only this group's administrators can do that.`,
  'refusal.slow_down': () => `You are pressing very fast. Please wait a few seconds and try again.`,
  'refusal.unavailable': () => `I can't reach my records right now; please try again in a minute.`,

  // --- what is wrong with an answer: one per field issue code (inside "That doesn't work: …")
  'issue.required': () => `it cannot be empty`,
  'issue.wrong_type': () => `that is not the kind of answer I need`,
  'issue.unknown_field': () => `that is not something I know`,
  'issue.too_short': (p: P) => `please write at least ${p.min} characters`,
  'issue.too_long': (p: P) => `please keep it to ${p.max} characters`,
  'issue.not_a_number': () => `please send a number, such as 300`,
  'issue.not_whole': () => `please send a whole number`,
  'issue.too_small': (p: P) => `it must be at least ${p.min}`,
  'issue.too_large': (p: P) => `it must be at most ${p.max}`,
  'issue.not_a_date': () => `please send a date such as 31 Dec, 2026-12-24 or “tomorrow”, or a number of days such as 14`,
  'issue.date_past': () => `the date must be in the future`,
  'issue.date_too_far': (p: P) => `the date must be within ${p.days} days`,
  'issue.has_phone': () => `it is shown in public groups, so it must not contain a phone number`,
  'issue.has_email': () => `it is shown in public groups, so it must not contain an e-mail address`,
  'issue.has_id_number': () => `it is shown in public groups, so it must not contain an ID-card number`,
  'issue.has_name': () => `it is shown in public groups, so it must not contain the resident's name (try “elderly resident, Building 3”)`,
  'issue.not_a_choice': () => `please choose one of the options`,
  'issue.unknown_community': () => `that community does not exist`,
  'issue.not_a_worker': () => `that person is not a worker of this community`,

  // --- language
  'language.choose': () => `Choose a language:`,
  'language.set': () => `Language set to English.`,
  'language.groupStaffOnly': () => `Only an admin or a worker can change the group's language.`,

  // --- roles and links
  'invite.usage': () => `Usage: /invite &lt;link code&gt; [more link codes]`,
  'invite.unknownCommunity': (p: P) => `No community has the link code ${p.code}.`,
  'invite.created': (p: P) => `Send this one-time link to the new worker for ${p.communities} (valid 14 days):\n${p.link}`,
  'invite.adminOnly': () => `Only an admin can invite workers.`,
  'link.invalid': () => `This link is not valid. Please ask for a new one.`,
  'link.used': () => `This link was already used. Please ask for a new one.`,
  'link.expired': () => `This link has expired. Please ask for a new one.`,
  'console.manage': () => `🗂 Manage`,
  'console.menu': () => `Console`,
  'worker.welcome': (p: P) => `You are now a worker for ${p.communities}. /newwish posts a wish; /help shows more.`,
  'resident.welcome': (p: P) => `You are now linked to wish ${p.code} (“${p.title}”). I will tell you how it is going. /mywishes shows it any time.`,
  'communities.none': () => `There are no communities yet. Create one with the HTTP API (POST /api/v1/communities).`,
  'communities.list': (p: P) => `Communities and their link codes:\n${p.lines}`,

  // --- groups
  'group.link.usage': () => `Usage: /link &lt;link code&gt; – the code of your community.`,
  'group.link.staffOnly': () => `Only an admin or a worker of the community can link this group.`,
  'group.link.unknown': () => `No community has that link code. Please check it and try again.`,
  'group.link.done': (p: P) => `This group now shows the wishes of ${p.community}. /wishes lists the open ones.`,
  'group.added': () => `Hello! A worker or admin can attach this group to a community with /link &lt;link code&gt;.`,
  'group.notLinked': () => `This group is not linked to a community yet. A worker can do it with /link &lt;link code&gt;.`,
  'group.noOpenWishes': () => `There are no open wishes right now. Thank you for caring!`,
  'group.openWishes': (p: P) => `Open wishes (${p.count}):`,
  'group.thanks': (p: P) => `🎉 ${p.code} “${p.title}” is fulfilled! Thank you ${p.donors}.`,
  'group.thanksAnonymous': (p: P) => `🎉 ${p.code} “${p.title}” is fulfilled! Thank you to everyone who helped.`,

  // --- cards
  'card.for': (p: P) => `For: ${p.alias}`,
  'card.urgent': () => `⚡ urgent`,
  'card.progressCash': (p: P) => `${p.pledged} / ${p.target} pledged · ${p.remaining} to go`,
  'card.progressCashFull': (p: P) => `${p.pledged} / ${p.target} pledged · fully pledged`,
  'card.progressGoodsOpen': (p: P) => `${p.needed} needed · waiting for someone to claim it`,
  'card.progressGoodsTaken': (p: P) => `${p.needed} · claimed by ${p.donor}`,
  'card.progressServiceOpen': (p: P) => `${p.needed} needed · waiting for a volunteer`,
  'card.progressServiceTaken': (p: P) => `${p.needed} · taken on by ${p.donor}`,
  'card.until': (p: P) => `⏳ until ${p.date}`,
  'card.pledgeCount': (p: P) => `${p.count} ${Number(p.count) === 1 ? 'pledge' : 'pledges'}: ${p.names}`,
  'card.namesAndOthers': (p: P) => `${p.names} and ${p.others} ${Number(p.others) === 1 ? 'other' : 'others'}`,
  'card.anonymous': () => `anonymous`,
  'card.someone': () => `a kind neighbour`,
  'card.status.fulfilled': () => `✅ Fulfilled – thank you!`,
  'card.status.cancelled': () => `✖️ Cancelled`,
  'card.status.expired': () => `⌛ Expired`,
  'card.status.delivered': () => `📦 Delivered, waiting for confirmation`,
  'card.status.visited': () => `📦 Done, waiting for confirmation`,
  'card.button.claim': () => `Claim`,
  'card.button.pledge': (p: P) => `Pledge ${p.amount}`,
  'card.button.other': () => `Other amount`,
  'card.button.details': () => `Details`,
  'category.goods': () => `goods`,
  'category.cash': () => `cash`,
  'category.service': () => `service`,
  'quantity.items': (p: P) => `${p.n} ${Number(p.n) === 1 ? 'item' : 'items'}`,
  'quantity.visits': (p: P) => `${p.n} ${Number(p.n) === 1 ? 'visit' : 'visits'}`,
  'details.text': (p: P) =>
    `${p.code} · ${p.title}\n${p.category} · ${p.target} · ${p.status}\nDeadline: ${p.deadline}`,
  'status.open': () => `open`,
  'status.partially_pledged': () => `partly pledged`,
  'status.fully_pledged': () => `fully pledged`,
  'status.fulfilled': () => `fulfilled`,
  'status.expired': () => `expired`,
  'status.cancelled': () => `cancelled`,
  'status.draft': () => `draft`,

  // --- pressing buttons (callback answers: plain text, at most 200 characters)
  'claim.ok': (p: P) => `You claimed ${p.code}. Thank you! I sent you the next steps in a private chat.`,
  'pledge.ok': (p: P) => `You pledged ${p.amount} to ${p.code}. Thank you! I sent you the next steps in a private chat.`,
  'claim.okStartBot': (p: P) => `Thank you, ${p.code} is yours! Tap to open a chat with me for the next steps.`,
  'callback.expired': () => `This button is no longer valid.`,
  'other.askAmount': (p: P) => `How much would you like to pledge to ${p.code} “${p.title}”? Up to ${p.remaining}. Send a whole number, or /cancel.`,
  'other.invalid': (p: P) => `Please send a whole number between 1 and ${p.remaining}, or /cancel.`,
  'other.openPrivate': () => `Tap to continue in a private chat with me.`,

  // --- donor private messages
  'donor.nextSteps.claim': (p: P) =>
    `Thank you for claiming <b>${p.code}</b> “${p.title}” (${p.amount})!\n\nNext: get in touch with the worker if needed, deliver it by ${p.deadline}, then press <b>Delivered</b>. If you can't make it, press <b>Withdraw</b> so someone else can help.`,
  'donor.nextSteps.service': (p: P) =>
    `Thank you for taking on <b>${p.code}</b> “${p.title}” (${p.amount})!\n\nNext: the worker will help you arrange the visit. Please make it by ${p.deadline}, then press <b>Done</b>. If you can't make it, press <b>Withdraw</b> so someone else can help.`,
  'donor.nextSteps.pledge': (p: P) =>
    `Thank you for pledging <b>${p.amount}</b> to <b>${p.code}</b> “${p.title}”!\n\nNext: hand it over as the worker arranges, by ${p.deadline}, then press <b>Delivered</b>. If you can't make it, press <b>Withdraw</b>.`,
  'donor.profileInvite': () =>
    `You appear on cards under your Telegram name. /profile lets you say whether you are a caring business, a Party member, an individual or a volunteer team, change your name, or stay anonymous.`,
  'donor.button.delivered': () => `Delivered`,
  'donor.button.done': () => `Done`,
  'donor.button.withdraw': () => `Withdraw`,
  'donor.delivered.ok': (p: P) => `Marked ${p.code} as delivered. The worker will confirm receipt. Thank you!`,
  'donor.done.ok': (p: P) => `Marked ${p.code} as done. The worker will confirm it with the resident. Thank you!`,
  'donor.withdraw.ok': (p: P) => `You withdrew from ${p.code}. Someone else can help now.`,
  'donor.wishCancelled': (p: P) => `${p.code} “${p.title}” was cancelled by the worker. Thank you for offering to help – no need to do anything more.`,
  'donor.wishExpired': (p: P) => `${p.code} “${p.title}” has passed its deadline and is closed. Thank you for offering to help.`,
  'donor.fulfilled': (p: P) => `${p.code} “${p.title}” is fulfilled. Thank you for your help! 🎉`,
  'donor.thankYouRelay': (p: P) => `The resident of ${p.code} says:\n\n“${p.text}”`,
  'donor.released': (p: P) => `Your pledge to ${p.code} was released because it was not delivered in time. Thank you for your offer.`,
  'donor.wishEdited': (p: P) => `The worker updated ${p.code} “${p.title}”: it is now due by ${p.deadline}.`,
  'mypledges.none': () => `You have no pledges yet. Press Claim or Pledge on a wish card in your group.`,
  'mypledges.header': () => `Your pledges:`,
  'mypledges.item': (p: P) => `${p.code} “${p.title}” – ${p.what} – ${p.status}`,
  'pledgeStatus.active': () => `pledged`,
  'pledgeStatus.delivered': () => `delivered, awaiting confirmation`,
  'pledgeStatus.confirmed': () => `confirmed`,
  'pledgeStatus.withdrawn': () => `withdrawn`,
  'pledgeStatus.released': () => `released`,
  'pledge.whole': () => `the whole wish`,

  // --- profile
  'profile.show': (p: P) => `You appear as: <b>${p.name}</b> (${p.type})${p.anonymous ? ' – anonymous on cards' : ''}.\nChoose what to change:`,
  'profile.button.type': () => `I am…`,
  'profile.button.name': () => `Change name`,
  'profile.button.anonymous': () => `Appear anonymously`,
  'profile.button.named': () => `Appear by name`,
  'profile.chooseType': () => `Which describes you?`,
  'profile.askName': () => `Send the name to show on cards (up to 40 characters), or /cancel.`,
  'profile.nameInvalid': () => `Please send a name of 1 to 40 characters, or /cancel.`,
  'profile.saved': () => `Saved.`,
  'donorType.business': () => `caring business`,
  'donorType.party_member': () => `Party member`,
  'donorType.individual': () => `individual`,
  'donorType.volunteer_team': () => `volunteer team`,

  // --- exports (CSV and spreadsheet files: plain text)
  'export.col.time': () => `Time`,
  'export.col.wishCode': () => `Wish code`,
  'export.col.wishTitle': () => `Wish title`,
  'export.col.action': () => `Action`,
  'export.col.donor': () => `Donor`,
  'export.col.donorType': () => `Donor type`,
  'export.col.amount': () => `Amount or quantity`,
  'export.col.worker': () => `Worker`,
  'export.col.donorId': () => `Donor id`,
  'export.col.pledges': () => `Pledges`,
  'export.col.active': () => `Active`,
  'export.col.delivered': () => `Delivered`,
  'export.col.confirmed': () => `Fulfilled (confirmed)`,
  'export.col.withdrawn': () => `Withdrawn`,
  'export.col.released': () => `Released`,
  'export.col.fulfilledCash': (p: P) => `Cash fulfilled (${p.currency})`,
  'export.col.fulfilledGoods': () => `Goods fulfilled (items)`,
  'export.col.fulfilledService': () => `Services fulfilled (visits)`,
  'export.col.lastPledged': () => `Last pledge`,
  'export.anonymous': () => `Anonymous`,
  'export.system': () => `(automatic)`,
  'export.action.created': () => `created`,
  'export.action.published': () => `published`,
  'export.action.pledged': () => `pledged`,
  'export.action.claimed': () => `claimed`,
  'export.action.withdrawn': () => `withdrawn`,
  'export.action.released': () => `released`,
  'export.action.delivered': () => `delivered`,
  'export.action.confirmed': () => `confirmed`,
  'export.action.edited': () => `edited`,
  'export.action.cancelled': () => `cancelled`,
  'export.action.expired': () => `expired`,
  'export.sheet.ledger': () => `Ledger`,
  // Not "History": Excel reserves that sheet name, and exceljs refuses it.
  'export.sheet.history': () => `Wish history`,
  'export.sheet.donors': () => `Donors`,

  // --- workers: confirming and follow-through
  'worker.delivered': (p: P) => `${p.donor} marked ${p.code} “${p.title}” as delivered. Please confirm once the resident has it.`,
  'worker.visited': (p: P) => `${p.donor} marked the visit for ${p.code} “${p.title}” as done. Please confirm once you have checked with the resident.`,
  'worker.button.confirm': () => `Confirm receipt`,
  'worker.confirm.ok': (p: P) => `Confirmed. ${p.fulfilled ? `${p.code} is fulfilled 🎉` : `Thank you.`}`,
  'worker.released': (p: P) => `A pledge on ${p.code} “${p.title}” was released (no delivery, no answer to reminders). The wish is open again.`,
  'worker.withdrawn': (p: P) => `${p.donor} withdrew from ${p.code} “${p.title}”. It is open again for others.`,
  'worker.confirmed': (p: P) => `The resident confirmed receipt for ${p.code} “${p.title}”.${p.fulfilled ? ' The wish is fulfilled 🎉' : ''}`,
  'worker.thanks': (p: P) => `The resident of ${p.code} sent a thank-you to the donors:\n\n“${p.text}”`,
  'worker.residentLink': (p: P) => `Posted ${p.code}. To let the resident follow it, send them this one-time link:\n${p.link}`,
  'mywishes.none': () => `No wishes to show.`,
  'mywishes.header': () => `Wishes:`,
  'mywishes.item': (p: P) => `${p.code} “${p.title}” – ${p.status} (${p.progress})`,

  // --- residents
  'resident.claimed': (p: P) => `Good news: someone has claimed your wish ${p.code} “${p.title}”.`,
  'resident.fullyPledged': (p: P) => `Good news: your wish ${p.code} “${p.title}” is fully pledged.`,
  'resident.delivered': (p: P) => `Your wish ${p.code} “${p.title}” was marked as delivered. Did you receive it?`,
  'resident.button.received': () => `I received it`,
  'resident.visited': (p: P) => `The volunteer marked the visit for your wish ${p.code} “${p.title}” as done. Did it happen?`,
  'resident.button.visited': () => `Yes, it happened`,
  'resident.fulfilled': (p: P) => `Your wish ${p.code} “${p.title}” is fulfilled. 🎉 If you like, reply with a thank-you message and I will pass it to the donors.`,
  'resident.cancelled': (p: P) => `Your wish ${p.code} “${p.title}” was cancelled. Your worker can tell you more.`,
  'resident.expired': (p: P) => `Your wish ${p.code} “${p.title}” reached its deadline without being fulfilled. Your worker can tell you more.`,
  'resident.thanksSent': () => `Thank you! I passed your message to the donors.`,
  'resident.thanksNone': () => `There is no fulfilled wish to thank for yet.`,
  'resident.button.thanks': () => `Send a thank-you`,
  'resident.askThanks': () => `Send your thank-you message (up to 500 characters), or /cancel.`,

  // --- new wish wizard
  'newwish.staffOnly': () => `Only community workers can post wishes. If you are one, ask an admin for an invitation link.`,
  'newwish.chooseCommunity': () => `Which community is this wish for?`,
  'newwish.askTitle': () => `Let's post a new wish. /cancel stops at any time.\n\n1/8 Title – a few words, e.g. “Reading glasses”:`,
  'newwish.askDescription': () => `2/8 Public description – what is needed and why (no names or addresses):`,
  'newwish.askCategory': () => `3/8 Category:`,
  'newwish.askTargetCash': () => `4/8 Target amount – a whole number, e.g. 300:`,
  'newwish.askTargetItems': () => `4/8 How many? A number, with what they are counted in if you like, e.g. “1” or “2 bags”:`,
  'newwish.askTargetVisits': () => `4/8 How many visits? A whole number, usually 1:`,
  'newwish.askDeadline': () => `5/8 Deadline – a date like 31 Dec or 2026-12-24, “tomorrow”, or a number of days like 14:`,
  'newwish.askUrgency': () => `6/8 Urgency:`,
  'newwish.askAlias': () => `7/8 Public alias for the resident, e.g. “elderly resident, Building 3” (never a name or address):`,
  'newwish.askNotes': () => `8/8 Private notes for workers only (contact, address, details) – or send “-” for none:`,
  'newwish.invalid': (p: P) => `That doesn't work: ${p.reason}. Please try again.`,
  'newwish.preview': (p: P) => `Preview of the card groups will see:\n\n${p.card}\n\nPrivate notes: ${p.notes}`,
  'newwish.button.publish': () => `Publish`,
  'newwish.button.discard': () => `Discard`,
  'newwish.urgency.normal': () => `Normal`,
  'newwish.urgency.urgent': () => `Urgent`,
  'newwish.published': (p: P) => `Published ${p.code}. It is being posted to ${p.groups} group(s).`,
  'newwish.discarded': () => `Discarded.`,

  // --- scheduled messages
  'reminder.pledge': (p: P) =>
    `A gentle reminder: you took on <b>${p.code}</b> “${p.title}” ${p.days} days ago and it is not marked delivered yet. The deadline is ${p.deadline}. Are you still on it?`,
  'reminder.service': (p: P) =>
    `A gentle reminder: you took on <b>${p.code}</b> “${p.title}” ${p.days} days ago and the visit is not marked done yet. The deadline is ${p.deadline}. Are you still on it?`,
  'reminder.button.stillOn': () => `Still on it`,
  'reminder.stillOn.ok': () => `Thank you! We will check again later.`,
  'reminder.stillOn.notNeeded': () => `Nothing more is needed for this one. Thank you!`,
  'worker.staleNoPledge': (p: P) => `${p.code} “${p.title}” has had no pledge for ${p.days} days. Maybe share it again or adjust it?`,
  'worker.deadlineNear': (p: P) => `${p.code} “${p.title}” is not fully covered and its deadline is ${p.deadline}.`,
  'digest.header': (p: P) => `🌟 ${p.count} wish(es) still waiting for a kind neighbour:`,
  'digest.until': (p: P) => `until ${p.date}`,

  // --- cancelling a wish
  'cancelwish.usage': () => `Usage: /cancelwish W-1001 [reason]`,
  'cancelwish.ok': (p: P) => `Cancelled ${p.code}. Pledgers and the resident are told.`,

  // --- API tokens (/token)
  'token.role.worker': () => `Worker`,
  'token.role.auditor': () => `Auditor`,
  'token.usageAdmin': () =>
    `Usage: /token worker &lt;link code&gt; [label] or /token auditor &lt;link code&gt; [label]\n` +
    `A worker token acts in that community; an auditor token only reads it. A community's id works as well as its link code.`,
  'token.unknownCommunity': (p: P) => `No community has the link code or id ${p.code}.`,
  'token.refused': () => `Only workers and admins can have an API token. If you are a worker, please ask an admin for an invitation first.`,
  'token.issuedOwn': (p: P) =>
    `🔑 Your API token for ${p.communities}. It is shown only this once: keep it secret.\n\n<code>${p.token}</code>\n\n` +
    `Paste it into the console at /console/ on this service's address, or send it to the HTTP API as <code>Authorization: Bearer ${p.token}</code>.\n` +
    `Sending /token again gives you a new one and stops this one. To revoke it, ask an admin (DELETE /api/v1/tokens/${p.id}).`,
  'token.issuedFor': (p: P) =>
    `🔑 ${p.role} token “${p.label}” for ${p.communities}. It is shown only this once: give it to its holder privately.\n\n<code>${p.token}</code>\n\n` +
    `They paste it into the console at /console/ on this service's address, or send it to the HTTP API as <code>Authorization: Bearer ${p.token}</code>.\n` +
    `Its id is <code>${p.id}</code>: revoke it with DELETE /api/v1/tokens/${p.id}.`,
};

export type Catalog = typeof en;
export type MessageKey = keyof Catalog;
