import { Catalog } from './en';

// 简体中文。与 en.ts 的键完全相同（编译器和测试都会检查）。
type P = Record<string, string | number>;

export const zh: Catalog = {
  // --- general
  'help.private': (p: P) =>
    `我可以帮助社区实现居民的微心愿。\n\n` +
    `<b>所有用户</b>\n/mypledges：我认领或认捐的心愿\n/profile：设置我的显示名称\n/language：切换 English 或 中文\n` +
    (p.staff ? `\n<b>社工专用</b>\n/newwish：发布新的微心愿\n/mywishes：我发布的心愿\n` : '') +
    (p.resident ? `\n/mywishes：查看我的心愿进展\n` : '') +
    (p.admin ? `\n<b>管理员专用</b>\n/invite &lt;链接码&gt;：生成一次性链接，邀请他人成为社工\n/communities：查看各社区及其链接码\n` : '') +
    `\n在群里：发送 /wishes 查看待认领的心愿；点击心愿卡片上的按钮即可献出爱心。`,
  'help.group': () =>
    `点击心愿卡片上的 <b>认领</b> 或 <b>认捐</b> 即可献出爱心。发送 /wishes 查看待认领的心愿。\n社工：发送 /link &lt;链接码&gt; 将本群关联到您的社区；发送 /language 设置本群语言。`,
  'start.welcome': (p: P) => `${p.name}，您好！👋\n我可以帮助社区实现居民的微心愿。发送 /help 查看我能做什么。`,
  'unknown.command': () => `我不认识这个命令。发送 /help 查看我能做什么。`,
  'hint.help': () => `发送 /help 查看我能做什么。`,
  'error.generic': () => `抱歉，系统出了点问题，请稍后再试。`,
  'error.busy': () => `很多人正在操作这个心愿，请再试一次。`,
  'error.forbidden': () => `抱歉，您没有权限进行此操作。`,
  'error.notFound': () => `找不到这个心愿。`,
  'cancelled': () => `已取消，未保存任何内容。`,
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
  'worker.welcome': (p: P) => `您现在是 ${p.communities} 的社工了。发送 /newwish 发布心愿，发送 /help 查看更多功能。`,
  'resident.welcome': (p: P) => `您已关联到心愿 ${p.code}“${p.title}”。有进展时我会通知您，也可以随时发送 /mywishes 查看。`,
  'communities.none': () => `还没有任何社区。请通过 HTTP API（POST /api/v1/communities）创建。`,
  'communities.list': (p: P) => `各社区及其链接码：\n${p.lines}`,

  // --- groups
  'group.link.usage': () => `用法：/link &lt;链接码&gt;（填写您所在社区的链接码）。`,
  'group.link.staffOnly': () => `只有管理员或该社区的社工可以关联本群。`,
  'group.link.unknown': () => `没有使用这个链接码的社区，请核对后再试。`,
  'group.link.done': (p: P) => `本群现在会显示 ${p.community} 的心愿。发送 /wishes 查看待认领的心愿。`,
  'group.added': () => `大家好！社工或管理员可以用 /link &lt;链接码&gt; 将本群关联到社区。`,
  'group.notLinked': () => `本群还没有关联社区。社工可以用 /link &lt;链接码&gt; 完成关联。`,
  'group.noOpenWishes': () => `目前没有待认领的心愿。感谢您的关心！`,
  'group.openWishes': (p: P) => `待认领的心愿（${p.count} 个）：`,
  'group.thanks': (p: P) => `🎉 ${p.code}“${p.title}”已实现！感谢 ${p.donors}。`,
  'group.thanksAnonymous': (p: P) => `🎉 ${p.code}“${p.title}”已实现！感谢每一位伸出援手的人。`,

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
  'category.cash': () => `善款`,
  'category.service': () => `服务`,
  'details.text': (p: P) => `${p.code} · ${p.title}\n${p.category} · 目标 ${p.target} · ${p.status}\n截止：${p.deadline}`,
  'status.open': () => `待认领`,
  'status.partially_pledged': () => `已部分认捐`,
  'status.fully_pledged': () => `已认捐满`,
  'status.fulfilled': () => `已实现`,
  'status.expired': () => `已过期`,
  'status.cancelled': () => `已取消`,
  'status.draft': () => `草稿`,

  // --- pressing buttons (callback answers: plain text, at most 200 characters)
  'claim.ok': (p: P) => `您已认领 ${p.code}，谢谢！后续步骤已私信发给您。`,
  'pledge.ok': (p: P) => `您已为 ${p.code} 认捐 ${p.amount}，谢谢！后续步骤已私信发给您。`,
  'claim.okStartBot': (p: P) => `谢谢，${p.code} 已由您认领！请点击打开与我的私聊，查看后续步骤。`,
  'claim.alreadyTaken': () => `抱歉，这个心愿已经被别人认领了。`,
  'claim.targetReached': () => `这个心愿已经认捐满了，谢谢您！`,
  'claim.alreadyPledged': () => `您已经认捐过这个心愿了，可用 /mypledges 查看。`,
  'claim.closed': () => `这个心愿已关闭。`,
  'claim.exceeds': (p: P) => `只还差 ${p.remaining}，请换一个小一点的金额。`,
  'claim.busy': () => `现在点击的人很多，请稍后再试。`,
  'callback.expired': () => `这个按钮已失效。`,
  'other.askAmount': (p: P) => `您想为 ${p.code}“${p.title}”认捐多少？最多 ${p.remaining}。请发送一个整数，或发送 /cancel 取消。`,
  'other.invalid': (p: P) => `请发送 1 到 ${p.remaining} 之间的整数，或发送 /cancel 取消。`,
  'other.openPrivate': () => `请点击进入与我的私聊继续。`,

  // --- donor private messages
  'donor.nextSteps.claim': (p: P) =>
    `感谢您认领 <b>${p.code}</b>“${p.title}”！\n\n接下来：如有需要请联系社工，在 ${p.deadline} 前送达，然后点击 <b>已送达</b>。如果无法完成，请点击 <b>撤回</b>，让其他人来帮忙。`,
  'donor.nextSteps.pledge': (p: P) =>
    `感谢您为 <b>${p.code}</b>“${p.title}”认捐 <b>${p.amount}</b>！\n\n接下来：按社工的安排在 ${p.deadline} 前交付，然后点击 <b>已送达</b>。如果无法完成，请点击 <b>撤回</b>。`,
  'donor.profileInvite': () =>
    `卡片上会显示您的 Telegram 名字。发送 /profile 可以注明您是爱心企业、党员、个人还是志愿服务队，也可以修改名称或选择匿名。`,
  'donor.button.delivered': () => `已送达`,
  'donor.button.withdraw': () => `撤回`,
  'donor.delivered.ok': (p: P) => `已将 ${p.code} 标记为已送达，社工确认居民收到后即完成。谢谢您！`,
  'donor.withdraw.ok': (p: P) => `您已撤回对 ${p.code} 的认领/认捐，其他人现在可以来帮忙了。`,
  'donor.wishCancelled': (p: P) => `${p.code}“${p.title}”已被社工取消。感谢您的热心，您无需再做任何事。`,
  'donor.wishExpired': (p: P) => `${p.code}“${p.title}”已过截止日期并关闭。感谢您的热心。`,
  'donor.fulfilled': (p: P) => `${p.code}“${p.title}”已实现，感谢您的帮助！🎉`,
  'donor.thankYouRelay': (p: P) => `${p.code} 的居民说：\n\n“${p.text}”`,
  'donor.released': (p: P) => `由于未能按时送达，您对 ${p.code} 的认领/认捐已自动解除。感谢您的心意。`,
  'mypledges.none': () => `您还没有认领或认捐过心愿。在群里的心愿卡片上点击“认领”或“认捐”即可。`,
  'mypledges.header': () => `您认领或认捐的心愿：`,
  'mypledges.item': (p: P) => `${p.code}“${p.title}” · ${p.what} · ${p.status}`,
  'pledgeStatus.active': () => `已认捐`,
  'pledgeStatus.delivered': () => `已送达，等待确认`,
  'pledgeStatus.confirmed': () => `已确认`,
  'pledgeStatus.withdrawn': () => `已撤回`,
  'pledgeStatus.released': () => `已自动解除`,
  'pledge.whole': () => `整个心愿`,

  // --- profile
  'profile.show': (p: P) => `您的显示名称：<b>${p.name}</b>（${p.type}）${p.anonymous ? '，在卡片上匿名显示' : ''}。\n请选择要修改的内容：`,
  'profile.button.type': () => `我是……`,
  'profile.button.name': () => `修改名称`,
  'profile.button.anonymous': () => `匿名显示`,
  'profile.button.named': () => `显示我的名称`,
  'profile.chooseType': () => `您属于哪一类？`,
  'profile.askName': () => `请发送要在卡片上显示的名称（最多 40 个字符），或发送 /cancel 取消。`,
  'profile.nameInvalid': () => `请发送 1 到 40 个字符的名称，或发送 /cancel 取消。`,
  'profile.saved': () => `已保存。`,
  'donorType.business': () => `爱心企业`,
  'donorType.party_member': () => `党员`,
  'donorType.individual': () => `个人`,
  'donorType.volunteer_team': () => `志愿服务队`,

  // --- workers: confirming and follow-through
  'worker.delivered': (p: P) => `${p.donor} 已将 ${p.code}“${p.title}”标记为已送达。请在居民收到后确认。`,
  'worker.button.confirm': () => `确认已收到`,
  'worker.confirm.ok': (p: P) => `已确认。${p.fulfilled ? `${p.code} 已实现 🎉` : `谢谢。`}`,
  'worker.released': (p: P) => `${p.code}“${p.title}”的一项认领/认捐已自动解除（未送达，也未回复提醒），心愿已重新开放。`,
  'worker.residentLink': (p: P) => `已发布 ${p.code}。请把这个一次性链接发给居民，方便他们随时了解进展：\n${p.link}`,
  'mywishes.none': () => `没有可显示的心愿。`,
  'mywishes.header': () => `心愿：`,
  'mywishes.item': (p: P) => `${p.code}“${p.title}”：${p.status}（${p.progress}）`,

  // --- residents
  'resident.claimed': (p: P) => `好消息：您的心愿 ${p.code}“${p.title}”已有人认领。`,
  'resident.fullyPledged': (p: P) => `好消息：您的心愿 ${p.code}“${p.title}”已认捐满。`,
  'resident.delivered': (p: P) => `您的心愿 ${p.code}“${p.title}”已标记为送达。请问您收到了吗？`,
  'resident.button.received': () => `我已收到`,
  'resident.fulfilled': (p: P) => `您的心愿 ${p.code}“${p.title}”已实现。🎉 如果愿意，您可以回复一段感谢的话，我会转达给爱心人士。`,
  'resident.cancelled': (p: P) => `您的心愿 ${p.code}“${p.title}”已取消，具体情况可以咨询您的社工。`,
  'resident.expired': (p: P) => `您的心愿 ${p.code}“${p.title}”到截止日期仍未实现，具体情况可以咨询您的社工。`,
  'resident.thanksSent': () => `谢谢！您的感谢已转达给爱心人士。`,
  'resident.thanksNone': () => `目前还没有已实现的心愿可以致谢。`,
  'resident.button.thanks': () => `发送感谢`,
  'resident.askThanks': () => `请发送您想说的感谢话语（最多 500 字），或发送 /cancel 取消。`,

  // --- new wish wizard
  'newwish.staffOnly': () => `只有社区社工可以发布心愿。如果您是社工，请向管理员索取邀请链接。`,
  'newwish.chooseCommunity': () => `这个心愿属于哪个社区？`,
  'newwish.askTitle': () => `现在来发布一个新心愿，随时发送 /cancel 可以退出。\n\n1/8 标题（简短几个字，例如“老花镜”）：`,
  'newwish.askDescription': () => `2/8 公开说明（需要什么、为什么需要；不要写姓名或地址）：`,
  'newwish.askCategory': () => `3/8 类别：`,
  'newwish.askTargetCash': () => `4/8 目标金额（整数，例如 300）：`,
  'newwish.askTargetItems': () => `4/8 数量（物品件数或服务次数，整数，通常为 1）：`,
  'newwish.askDeadline': () => `5/8 截止日期（日期如 2026-12-24，或天数如 14）：`,
  'newwish.askUrgency': () => `6/8 紧急程度：`,
  'newwish.askAlias': () => `7/8 居民的公开称呼，例如“3号楼的一位老人”（切勿写姓名或地址）：`,
  'newwish.askNotes': () => `8/8 仅社工可见的内部备注（联系方式、地址、细节等），没有请发送“-”：`,
  'newwish.invalid': (p: P) => `输入有误：${p.reason}。请重新输入。`,
  'newwish.reason.text': (p: P) => `请发送 ${p.min} 到 ${p.max} 个字符的文字`,
  'newwish.reason.number': (p: P) => `请发送 1 到 ${p.max} 之间的整数`,
  'newwish.reason.date': () => `请发送一个将来的日期（例如 2026-12-24）或天数`,
  'newwish.reason.choice': () => `请点击其中一个按钮`,
  'newwish.preview': (p: P) => `各群将看到的卡片预览：\n\n${p.card}\n\n内部备注：${p.notes}`,
  'newwish.button.publish': () => `发布`,
  'newwish.button.discard': () => `放弃`,
  'newwish.urgency.normal': () => `普通`,
  'newwish.urgency.urgent': () => `紧急`,
  'newwish.published': (p: P) => `已发布 ${p.code}，正在推送到 ${p.groups} 个群。`,
  'newwish.discarded': () => `已放弃。`,

  // --- scheduled messages
  'reminder.pledge': (p: P) =>
    `温馨提醒：您 ${p.days} 天前接下了 <b>${p.code}</b>“${p.title}”，目前还没有标记为已送达。截止日期是 ${p.deadline}。请问您还在跟进吗？`,
  'reminder.button.stillOn': () => `还在跟进`,
  'reminder.stillOn.ok': () => `谢谢！我们过段时间再跟您确认。`,
  'worker.staleNoPledge': (p: P) => `${p.code}“${p.title}”已经 ${p.days} 天无人认领或认捐。要不要再转发一次，或调整一下内容？`,
  'worker.deadlineNear': (p: P) => `${p.code}“${p.title}”尚未全部落实，截止日期是 ${p.deadline}。`,
  'digest.header': (p: P) => `🌟 还有 ${p.count} 个心愿在等待热心邻居：`,
  'digest.until': (p: P) => `截止 ${p.date}`,

  // --- cancelling a wish
  'cancelwish.usage': () => `用法：/cancelwish W-1001 [原因]`,
  'cancelwish.ok': (p: P) => `已取消 ${p.code}，并已通知相关爱心人士和居民。`,
};
