import { Catalog } from './en';

// 简体中文。与 en.ts 的键完全相同（编译器和测试都会检查）。
type P = Record<string, string | number>;

export const zh: Catalog = {
  // --- general
  'help.private': (p: P) =>
    `我帮助社区实现居民的微心愿。\n\n` +
    `<b>所有人</b>\n/mypledges – 我认领或认捐的心愿\n/profile – 我的显示名称\n/language – English 或 中文\n` +
    (p.staff ? `\n<b>社工</b>\n/newwish – 发布新的微心愿\n/mywishes – 我发布的心愿\n` : '') +
    (p.resident ? `\n/mywishes – 查看我的心愿进展\n` : '') +
    (p.admin ? `\n<b>管理员</b>\n/invite &lt;链接码&gt; – 生成一次性社工邀请链接\n/communities – 社区及其链接码\n` : '') +
    `\n在群里：/wishes 列出待认领的心愿；点击心愿卡片上的按钮即可帮忙。`,
  'help.group': () => `点击心愿卡片上的 <b>认领</b> 或 <b>认捐</b> 即可帮忙。/wishes 列出待认领的心愿。\n社工：/link &lt;链接码&gt; 将本群关联到社区；/language 设置本群语言。`,
  'start.welcome': (p: P) => `${p.name}，您好！👋\n我帮助社区实现居民的微心愿。发送 /help 查看我能做什么。`,
  'unknown.command': () => `我不认识这个命令。发送 /help 查看我能做什么。`,
  'hint.help': () => `发送 /help 查看我能做什么。`,
  'error.generic': () => `抱歉，我们这边出了点问题，请稍后再试。`,
  'error.busy': () => `现在有很多人在操作这个心愿，请再试一次。`,
  'error.forbidden': () => `抱歉，您没有权限这样做。`,
  'error.notFound': () => `找不到这个心愿。`,
  'cancelled': () => `已取消，没有保存任何内容。`,
  'nothingToCancel': () => `当前没有可以取消的操作。`,
  'privateOnly': (p: P) => `请在与我的私聊中使用 ${p.command}。`,
  'groupOnly': (p: P) => `请在群里使用 ${p.command}。`,

  // --- language
  'language.choose': () => `请选择语言：`,
  'language.set': () => `语言已设为中文。`,
  'language.groupStaffOnly': () => `只有管理员或社工可以更改本群的语言。`,

  // --- roles and links
  'invite.usage': () => `用法：/invite &lt;链接码&gt; [更多链接码]`,
  'invite.unknownCommunity': (p: P) => `没有链接码为 ${p.code} 的社区。`,
  'invite.created': (p: P) => `请把这个一次性链接发给 ${p.communities} 的新社工（14 天内有效）：\n${p.link}`,
  'invite.adminOnly': () => `只有管理员可以邀请社工。`,
  'link.invalid': () => `这个链接无效，请重新索取。`,
  'link.used': () => `这个链接已经被使用过了，请重新索取。`,
  'link.expired': () => `这个链接已过期，请重新索取。`,
  'worker.welcome': (p: P) => `您现在是 ${p.communities} 的社工了。/newwish 发布心愿；/help 查看更多。`,
  'resident.welcome': (p: P) => `您已关联到心愿 ${p.code}（“${p.title}”）。有进展时我会通知您，随时可用 /mywishes 查看。`,
  'communities.none': () => `还没有社区。请通过 HTTP API（POST /api/v1/communities）创建。`,
  'communities.list': (p: P) => `社区及其链接码：\n${p.lines}`,

  // --- groups
  'group.link.usage': () => `用法：/link &lt;链接码&gt; – 您所在社区的链接码。`,
  'group.link.staffOnly': () => `只有管理员或该社区的社工可以关联本群。`,
  'group.link.unknown': () => `没有使用这个链接码的社区，请核对后再试。`,
  'group.link.done': (p: P) => `本群现在会显示 ${p.community} 的心愿。/wishes 列出待认领的心愿。`,
  'group.added': () => `大家好！社工或管理员可以用 /link &lt;链接码&gt; 将本群关联到社区。`,
  'group.notLinked': () => `本群还没有关联社区。社工可以用 /link &lt;链接码&gt; 完成关联。`,
  'group.noOpenWishes': () => `目前没有待认领的心愿。感谢您的关心！`,
  'group.openWishes': (p: P) => `待认领的心愿（${p.count} 个）：`,
  'group.thanks': (p: P) => `🎉 ${p.code}“${p.title}”已实现！感谢 ${p.donors}。`,
  'group.thanksAnonymous': (p: P) => `🎉 ${p.code}“${p.title}”已实现！感谢每一位帮忙的人。`,

  // --- cards
  'card.for': (p: P) => `对象：${p.alias}`,
  'card.urgent': () => `⚡ 紧急`,
  'card.progressCash': (p: P) => `已认捐 ${p.pledged} / ${p.target} · 还差 ${p.remaining}`,
  'card.progressCashFull': (p: P) => `已认捐 ${p.pledged} / ${p.target} · 已认捐满`,
  'card.progressGoodsOpen': () => `等待爱心人士认领`,
  'card.progressGoodsTaken': (p: P) => `已由 ${p.donor} 认领`,
  'card.until': (p: P) => `⏳ 截止 ${p.date}`,
  'card.pledgeCount': (p: P) => `${p.count} 笔认捐：${p.names}`,
  'card.anonymous': () => `匿名`,
  'card.someone': () => `一位热心邻居`,
  'card.status.fulfilled': () => `✅ 已实现，谢谢大家！`,
  'card.status.cancelled': () => `✖️ 已取消`,
  'card.status.expired': () => `⌛ 已过期`,
  'card.status.delivered': () => `📦 已送达，等待确认`,
  'card.button.claim': () => `认领`,
  'card.button.pledge': (p: P) => `认捐 ${p.amount}`,
  'card.button.other': () => `其他金额`,
  'card.button.details': () => `详情`,
  'category.goods': () => `物品`,
  'category.cash': () => `资金`,
  'category.service': () => `服务`,
  'details.text': (p: P) => `${p.code} · ${p.title}\n${p.category} · 目标 ${p.target} · ${p.status}\n截止：${p.deadline}`,
  'status.open': () => `待认领`,
  'status.partially_pledged': () => `部分认捐`,
  'status.fully_pledged': () => `已认捐满`,
  'status.fulfilled': () => `已实现`,
  'status.expired': () => `已过期`,
  'status.cancelled': () => `已取消`,
  'status.draft': () => `草稿`,

  // --- pressing buttons
  'claim.ok': (p: P) => `您已认领 ${p.code}，谢谢！后续步骤已私信发给您。`,
  'pledge.ok': (p: P) => `您已为 ${p.code} 认捐 ${p.amount}，谢谢！后续步骤已私信发给您。`,
  'claim.okStartBot': (p: P) => `谢谢，${p.code} 由您认领了！点击打开与我的私聊，查看后续步骤。`,
  'claim.alreadyTaken': () => `抱歉，这个心愿已经被别人认领了。`,
  'claim.targetReached': () => `这个心愿已经认捐满了，谢谢您！`,
  'claim.alreadyPledged': () => `您已经认捐过这个心愿了，可用 /mypledges 查看。`,
  'claim.closed': () => `这个心愿已关闭。`,
  'claim.exceeds': (p: P) => `只差 ${p.remaining} 了，请选择小一点的金额。`,
  'claim.busy': () => `现在点击的人很多，请再试一次。`,
  'callback.expired': () => `这个按钮已失效。`,
  'other.askAmount': (p: P) => `您想为 ${p.code}“${p.title}”认捐多少？最多 ${p.remaining}。请发送一个整数，或发送 /cancel 取消。`,
  'other.invalid': (p: P) => `请发送 1 到 ${p.remaining} 之间的整数，或发送 /cancel 取消。`,
  'other.openPrivate': () => `点击在与我的私聊中继续。`,

  // --- donor private messages
  'donor.nextSteps.claim': (p: P) =>
    `感谢您认领 <b>${p.code}</b>“${p.title}”！\n\n接下来：如有需要请联系社工，在 ${p.deadline} 前送达，然后点击 <b>已送达</b>。如果无法完成，请点击 <b>撤回</b>，让其他人来帮忙。`,
  'donor.nextSteps.pledge': (p: P) =>
    `感谢您为 <b>${p.code}</b>“${p.title}”认捐 <b>${p.amount}</b>！\n\n接下来：按社工的安排在 ${p.deadline} 前交付，然后点击 <b>已送达</b>。如果无法完成，请点击 <b>撤回</b>。`,
  'donor.profileInvite': () => `卡片上目前显示您的 Telegram 名字。用 /profile 可以说明您是爱心企业、党员、个人还是志愿服务队，修改名称，或选择匿名。`,
  'donor.button.delivered': () => `已送达`,
  'donor.button.withdraw': () => `撤回`,
  'donor.delivered.ok': (p: P) => `已将 ${p.code} 标记为已送达，社工会确认收货。谢谢您！`,
  'donor.withdraw.ok': (p: P) => `您已撤回 ${p.code}，其他人现在可以来帮忙了。`,
  'donor.wishCancelled': (p: P) => `${p.code}“${p.title}”已被社工取消。感谢您愿意帮忙，无需再做任何事。`,
  'donor.wishExpired': (p: P) => `${p.code}“${p.title}”已过截止日期并关闭。感谢您愿意帮忙。`,
  'donor.fulfilled': (p: P) => `${p.code}“${p.title}”已实现，感谢您的帮助！🎉`,
  'donor.thankYouRelay': (p: P) => `${p.code} 的居民说：\n\n“${p.text}”`,
  'donor.released': (p: P) => `您对 ${p.code} 的认捐因未按时送达已被释放。感谢您的心意。`,
  'mypledges.none': () => `您还没有认捐。在群里的心愿卡片上点击 认领 或 认捐 即可。`,
  'mypledges.header': () => `您的认捐：`,
  'mypledges.item': (p: P) => `${p.code}“${p.title}” – ${p.what} – ${p.status}`,
  'pledgeStatus.active': () => `已认捐`,
  'pledgeStatus.delivered': () => `已送达，等待确认`,
  'pledgeStatus.confirmed': () => `已确认`,
  'pledgeStatus.withdrawn': () => `已撤回`,
  'pledgeStatus.released': () => `已释放`,
  'pledge.whole': () => `整个心愿`,

  // --- profile
  'profile.show': (p: P) => `您显示为：<b>${p.name}</b>（${p.type}）${p.anonymous ? ' – 在卡片上匿名' : ''}。\n请选择要修改的内容：`,
  'profile.button.type': () => `我是……`,
  'profile.button.name': () => `修改名称`,
  'profile.button.anonymous': () => `匿名显示`,
  'profile.button.named': () => `显示名称`,
  'profile.chooseType': () => `哪一项符合您？`,
  'profile.askName': () => `请发送要在卡片上显示的名称（最多 40 个字符），或发送 /cancel 取消。`,
  'profile.nameInvalid': () => `请发送 1 到 40 个字符的名称，或发送 /cancel 取消。`,
  'profile.saved': () => `已保存。`,
  'donorType.business': () => `爱心企业`,
  'donorType.party_member': () => `党员`,
  'donorType.individual': () => `个人`,
  'donorType.volunteer_team': () => `志愿服务队`,

  // --- workers
  'worker.delivered': (p: P) => `${p.donor} 已将 ${p.code}“${p.title}”标记为已送达。居民收到后请确认。`,
  'worker.button.confirm': () => `确认收到`,
  'worker.confirm.ok': (p: P) => `已确认。${p.fulfilled ? `${p.code} 已实现 🎉` : `谢谢。`}`,
  'worker.released': (p: P) => `${p.code}“${p.title}”的一笔认捐已被释放（未送达，也未回复提醒），心愿重新开放。`,
  'worker.residentLink': (p: P) => `已发布 ${p.code}。请把这个一次性链接发给居民，方便他们关注进展：\n${p.link}`,
  'mywishes.none': () => `没有可显示的心愿。`,
  'mywishes.header': () => `心愿：`,
  'mywishes.item': (p: P) => `${p.code}“${p.title}” – ${p.status}（${p.progress}）`,

  // --- residents
  'resident.claimed': (p: P) => `好消息：有人认领了您的心愿 ${p.code}“${p.title}”。`,
  'resident.fullyPledged': (p: P) => `好消息：您的心愿 ${p.code}“${p.title}”已认捐满。`,
  'resident.delivered': (p: P) => `您的心愿 ${p.code}“${p.title}”已标记为送达。您收到了吗？`,
  'resident.button.received': () => `我已收到`,
  'resident.fulfilled': (p: P) => `您的心愿 ${p.code}“${p.title}”已实现。🎉 如果愿意，可以回复一段感谢的话，我会转达给爱心人士。`,
  'resident.cancelled': (p: P) => `您的心愿 ${p.code}“${p.title}”已取消，详情可咨询社工。`,
  'resident.expired': (p: P) => `您的心愿 ${p.code}“${p.title}”到截止日期仍未实现，详情可咨询社工。`,
  'resident.thanksSent': () => `谢谢！您的话已转达给爱心人士。`,
  'resident.thanksNone': () => `还没有已实现的心愿可以致谢。`,
  'resident.button.thanks': () => `发送感谢`,
  'resident.askThanks': () => `请发送您的感谢（最多 500 字），或发送 /cancel 取消。`,

  // --- new wish wizard
  'newwish.staffOnly': () => `只有社区社工可以发布心愿。如果您是社工，请向管理员索取邀请链接。`,
  'newwish.chooseCommunity': () => `这个心愿属于哪个社区？`,
  'newwish.askTitle': () => `我们来发布一个新心愿。随时发送 /cancel 可停止。\n\n1/8 标题 – 简短几个字，例如“老花镜”：`,
  'newwish.askDescription': () => `2/8 公开说明 – 需要什么、为什么需要（不要写姓名或地址）：`,
  'newwish.askCategory': () => `3/8 类别：`,
  'newwish.askTargetCash': () => `4/8 目标金额 – 整数，例如 300：`,
  'newwish.askTargetItems': () => `4/8 数量（件数或次数）– 整数，通常为 1：`,
  'newwish.askDeadline': () => `5/8 截止日期 – 例如 2026-12-24，或天数，例如 14：`,
  'newwish.askUrgency': () => `6/8 紧急程度：`,
  'newwish.askAlias': () => `7/8 居民的公开称呼，例如“3号楼的一位老人”（不要写姓名或地址）：`,
  'newwish.askNotes': () => `8/8 仅社工可见的备注（联系方式、地址、细节）– 没有请发送“-”：`,
  'newwish.invalid': (p: P) => `这样不行：${p.reason}。请再试一次。`,
  'newwish.reason.text': (p: P) => `请发送 ${p.min} 到 ${p.max} 个字符的文字`,
  'newwish.reason.number': (p: P) => `请发送 1 到 ${p.max} 之间的整数`,
  'newwish.reason.date': () => `请发送一个将来的日期，例如 2026-12-24，或天数`,
  'newwish.reason.choice': () => `请点击其中一个按钮`,
  'newwish.preview': (p: P) => `群里将看到的卡片预览：\n\n${p.card}\n\n内部备注：${p.notes}`,
  'newwish.button.publish': () => `发布`,
  'newwish.button.discard': () => `放弃`,
  'newwish.urgency.normal': () => `一般`,
  'newwish.urgency.urgent': () => `紧急`,
  'newwish.published': (p: P) => `已发布 ${p.code}，正在发送到 ${p.groups} 个群。`,
  'newwish.discarded': () => `已放弃。`,

  // --- scheduled messages
  'reminder.pledge': (p: P) =>
    `温馨提醒：您在 ${p.days} 天前认领了 <b>${p.code}</b>“${p.title}”，目前还没有标记为已送达。截止日期是 ${p.deadline}。您还在跟进吗？`,
  'reminder.button.stillOn': () => `还在跟进`,
  'reminder.stillOn.ok': () => `谢谢！我们过些天再问问。`,
  'worker.staleNoPledge': (p: P) => `${p.code}“${p.title}”已经 ${p.days} 天没有人认捐了。要不要再分享一次或调整一下？`,
  'worker.deadlineNear': (p: P) => `${p.code}“${p.title}”还没有凑齐，截止日期是 ${p.deadline}。`,
  'digest.header': (p: P) => `🌟 还有 ${p.count} 个心愿在等待热心邻居：`,
  'digest.until': (p: P) => `截止 ${p.date}`,

  // --- cancelling a wish
  'cancelwish.usage': () => `用法：/cancelwish W-1001 [原因]`,
  'cancelwish.ok': (p: P) => `已取消 ${p.code}，已通知认捐人和居民。`,
};
