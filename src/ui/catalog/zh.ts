import { Catalog } from './en';

// 简体中文。与 en.ts 的键完全相同（编译器和测试都会检查）。
type P = Record<string, string | number>;

export const zh: Catalog = {
  // --- general
  'help.private': (p: P) =>
    `我可以帮助社区实现居民的微心愿。\n\n` +
    `<b>所有用户</b>\n/mypledges：我认领或认捐的心愿\n/profile：设置我的显示名称\n/language：切换 English 或 中文\n` +
    (p.staff ? `\n<b>社工专用</b>\n/newwish：发布新的微心愿\n/mywishes：我发布的心愿\n/token：获取用于控制台的 API 令牌\n` : '') +
    (p.resident ? `\n/mywishes：查看我的心愿进展\n` : '') +
    (p.admin ? `\n<b>管理员专用</b>\n/invite &lt;链接码&gt;：生成一次性链接，邀请他人成为社工\n/communities：查看各社区及其链接码\n/token worker|auditor &lt;链接码&gt; [备注]：为他人生成 API 令牌\n` : '') +
    `\n在群里：发送 /wishes 查看待认领的心愿；点击心愿卡片上的按钮即可献出爱心。`,
  'help.group': () =>
    `点击心愿卡片上的 <b>认领</b> 或 <b>认捐</b> 即可献出爱心。发送 /wishes 查看待认领的心愿。\n社工：发送 /link &lt;链接码&gt; 将本群关联到您的社区；发送 /language 设置本群语言。`,
  'start.welcome': (p: P) => `${p.name}，您好！👋\n我可以帮助社区实现居民的微心愿。发送 /help 查看我能做什么。`,
  'unknown.command': () => `我不认识这个命令。发送 /help 查看我能做什么。`,
  'hint.help': () => `发送 /help 查看我能做什么。`,
  'error.generic': () => `抱歉，系统出了点问题，请稍后再试。`,
  'cancelled': () => `已取消，未保存任何内容。`,
  'nothingToCancel': () => `当前没有可以取消的操作。`,
  'privateOnly': (p: P) => `请在与我的私聊中使用 ${p.command}。`,
  'groupOnly': (p: P) => `请在群里使用 ${p.command}。`,

  // --- 拒绝原因：领域层可能给出的每个代码各一条（纯文本，最多 200 字符，也用于按钮回复）
  'refusal.unauthenticated': () => `请重新登录。`,
  'refusal.forbidden': () => `抱歉，您没有权限进行此操作。`,
  'refusal.wish_not_found': () => `找不到这个心愿。`,
  'refusal.pledge_not_found': () => `找不到这项认领/认捐。`,
  'refusal.community_not_found': () => `找不到这个社区。`,
  'refusal.invite_not_found': () => `这个链接无效，请重新索取。`,
  'refusal.token_not_found': () => `找不到该令牌。`,
  'refusal.invalid_input': () => `填写的内容有误，请检查后再试。`,
  'refusal.use_claim': () => `这个心愿需要整体认领，请点击“认领”。`,
  'refusal.use_pledge': () => `这是善款类心愿，请选择认捐金额。`,
  'refusal.deadline_passed': () => `截止日期已过，请先设置新的截止日期。`,
  'refusal.not_published': () => `这个心愿还没有发布。`,
  'refusal.wish_closed': () => `这个心愿已关闭，感谢您的关心！`,
  'refusal.already_taken': () => `抱歉，这个心愿已经被别人认领了。`,
  'refusal.target_reached': () => `这个心愿已经认捐满了，谢谢您！`,
  'refusal.exceeds_remaining': (p: P) => `只还差 ${p.remaining}，请选择小一点的金额。`,
  'refusal.already_pledged': (p: P) => `您已为这个心愿认捐 ${p.amount}。如需修改，请先在 /mypledges 中撤回。`,
  'refusal.pledge_closed': () => `这项认领/认捐已撤回或已解除，无需再做任何事。`,
  'refusal.pledge_delivered': () => `已经送达，无法再撤回。谢谢您！`,
  'refusal.not_due': () => `这个心愿还没到截止日期。`,
  'refusal.invite_used': () => `这个链接已经被使用过了，请重新索取。`,
  'refusal.invite_expired': () => `这个链接已过期，请重新索取。`,
  'refusal.busy': () => `现在点击的人很多，请稍后再试。`,
  'refusal.stale_button': () => `这个按钮已失效，请使用最新的卡片。`,
  'refusal.not_delivered': () => `尚未标记为已送达，暂时不能确认收到。`,
  'refusal.own_pledge': () => `这是您本人的认领，需要由居民或其他社工确认。`,
  'refusal.group_linked_elsewhere': () => `本群已关联到其他社区，只有管理员可以更改。`,
  'refusal.not_group_admin': () => `只有本群的管理员可以这样做。`,
  'refusal.slow_down': () => `您点击得太快了，请稍等几秒再试。`,
  'refusal.unavailable': () => `暂时无法读取记录，请一分钟后再试。`,

  // --- 输入有误的原因：每个字段问题代码各一条（放在“输入有误：……”中）
  'issue.required': () => `内容不能为空`,
  'issue.wrong_type': () => `这不是我需要的回答`,
  'issue.unknown_field': () => `我不认识这一项`,
  'issue.too_short': (p: P) => `请至少写 ${p.min} 个字`,
  'issue.too_long': (p: P) => `请控制在 ${p.max} 个字以内`,
  'issue.not_a_number': () => `请发送一个数字，例如 300`,
  'issue.not_whole': () => `请发送整数`,
  'issue.too_small': (p: P) => `不能少于 ${p.min}`,
  'issue.too_large': (p: P) => `不能超过 ${p.max}`,
  'issue.not_a_date': () => `请发送日期，例如 12月31日、2026-12-24 或“明天”，也可以发送天数，例如 14`,
  'issue.date_past': () => `日期必须是将来的某一天`,
  'issue.date_too_far': (p: P) => `日期不能超过 ${p.days} 天以后`,
  'issue.has_phone': () => `这段文字会在群里公开，不能包含电话号码`,
  'issue.has_email': () => `这段文字会在群里公开，不能包含电子邮箱`,
  'issue.has_id_number': () => `这段文字会在群里公开，不能包含身份证号`,
  'issue.has_name': () => `这段文字会在群里公开，不能包含居民的姓名（可以写“3号楼的一位老人”）`,
  'issue.not_a_choice': () => `请从选项中选择一个`,
  'issue.unknown_community': () => `这个社区不存在`,
  'issue.not_a_worker': () => `此人不是这个社区的社工`,

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
  'console.manage': () => `🗂 管理`,
  'console.menu': () => `控制台`,
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
  'card.progressGoodsOpen': (p: P) => `需要 ${p.needed} · 等待爱心人士认领`,
  'card.progressGoodsTaken': (p: P) => `${p.needed} · 已由 ${p.donor} 认领`,
  'card.progressServiceOpen': (p: P) => `需要 ${p.needed} · 等待志愿者`,
  'card.progressServiceTaken': (p: P) => `${p.needed} · 已由 ${p.donor} 承担`,
  'card.until': (p: P) => `⏳ 截止 ${p.date}`,
  'card.pledgeCount': (p: P) => `${p.count} 笔认捐：${p.names}`,
  'card.namesAndOthers': (p: P) => `${p.names} 等另外 ${p.others} 人`,
  'card.anonymous': () => `匿名`,
  'card.someone': () => `一位热心邻居`,
  'card.status.fulfilled': () => `✅ 已实现，谢谢大家！`,
  'card.status.cancelled': () => `✖️ 已取消`,
  'card.status.expired': () => `⌛ 已过期`,
  'card.status.delivered': () => `📦 已送达，等待确认`,
  'card.status.visited': () => `📦 已完成，等待确认`,
  'card.button.claim': () => `认领`,
  'card.button.pledge': (p: P) => `认捐 ${p.amount}`,
  'card.button.other': () => `其他金额`,
  'card.button.details': () => `详情`,
  'category.goods': () => `物品`,
  'category.cash': () => `善款`,
  'category.service': () => `服务`,
  'quantity.items': (p: P) => `${p.n} 件`,
  'quantity.visits': (p: P) => `${p.n} 次`,
  'details.text': (p: P) => `${p.code} · ${p.title}\n${p.category} · ${p.target} · ${p.status}\n截止：${p.deadline}`,
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
  'callback.expired': () => `这个按钮已失效。`,
  'other.askAmount': (p: P) => `您想为 ${p.code}“${p.title}”认捐多少？最多 ${p.remaining}。请发送一个整数，或发送 /cancel 取消。`,
  'other.invalid': (p: P) => `请发送 1 到 ${p.remaining} 之间的整数，或发送 /cancel 取消。`,
  'other.openPrivate': () => `请点击进入与我的私聊继续。`,

  // --- donor private messages
  'donor.nextSteps.claim': (p: P) =>
    `感谢您认领 <b>${p.code}</b>“${p.title}”（${p.amount}）！\n\n接下来：如有需要请联系社工，在 ${p.deadline} 前送达，然后点击 <b>已送达</b>。如果无法完成，请点击 <b>撤回</b>，让其他人来帮忙。`,
  'donor.nextSteps.service': (p: P) =>
    `感谢您承担 <b>${p.code}</b>“${p.title}”（${p.amount}）！\n\n接下来：社工会协助您安排上门时间。请在 ${p.deadline} 前完成，然后点击 <b>已完成</b>。如果无法完成，请点击 <b>撤回</b>，让其他人来帮忙。`,
  'donor.nextSteps.pledge': (p: P) =>
    `感谢您为 <b>${p.code}</b>“${p.title}”认捐 <b>${p.amount}</b>！\n\n接下来：按社工的安排在 ${p.deadline} 前交付，然后点击 <b>已送达</b>。如果无法完成，请点击 <b>撤回</b>。`,
  'donor.profileInvite': () =>
    `卡片上会显示您的 Telegram 名字。发送 /profile 可以注明您是爱心企业、党员、个人还是志愿服务队，也可以修改名称或选择匿名。`,
  'donor.button.delivered': () => `已送达`,
  'donor.button.done': () => `已完成`,
  'donor.button.withdraw': () => `撤回`,
  'donor.delivered.ok': (p: P) => `已将 ${p.code} 标记为已送达，社工确认居民收到后即完成。谢谢您！`,
  'donor.done.ok': (p: P) => `已将 ${p.code} 标记为已完成，社工向居民确认后即完成。谢谢您！`,
  'donor.withdraw.ok': (p: P) => `您已撤回对 ${p.code} 的认领/认捐，其他人现在可以来帮忙了。`,
  'donor.wishCancelled': (p: P) => `${p.code}“${p.title}”已被社工取消。感谢您的热心，您无需再做任何事。`,
  'donor.wishExpired': (p: P) => `${p.code}“${p.title}”已过截止日期并关闭。感谢您的热心。`,
  'donor.fulfilled': (p: P) => `${p.code}“${p.title}”已实现，感谢您的帮助！🎉`,
  'donor.thankYouRelay': (p: P) => `${p.code} 的居民说：\n\n“${p.text}”`,
  'donor.released': (p: P) => `由于未能按时送达，您对 ${p.code} 的认领/认捐已自动解除。感谢您的心意。`,
  'donor.wishEdited': (p: P) => `社工更新了 ${p.code}“${p.title}”：截止日期现在是 ${p.deadline}。`,
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
  'worker.visited': (p: P) => `${p.donor} 已将 ${p.code}“${p.title}”的上门服务标记为已完成。请向居民核实后确认。`,
  'worker.button.confirm': () => `确认已收到`,
  'worker.confirm.ok': (p: P) => `已确认。${p.fulfilled ? `${p.code} 已实现 🎉` : `谢谢。`}`,
  'worker.released': (p: P) => `${p.code}“${p.title}”的一项认领/认捐已自动解除（未送达，也未回复提醒），心愿已重新开放。`,
  'worker.withdrawn': (p: P) => `${p.donor} 撤回了对 ${p.code}“${p.title}”的认领/认捐，心愿已重新开放。`,
  'worker.confirmed': (p: P) => `居民已确认收到 ${p.code}“${p.title}”。${p.fulfilled ? '心愿已实现 🎉' : ''}`,
  'worker.thanks': (p: P) => `${p.code} 的居民向爱心人士发来感谢：\n\n“${p.text}”`,
  'worker.residentLink': (p: P) => `已发布 ${p.code}。请把这个一次性链接发给居民，方便他们随时了解进展：\n${p.link}`,
  'mywishes.none': () => `没有可显示的心愿。`,
  'mywishes.header': () => `心愿：`,
  'mywishes.item': (p: P) => `${p.code}“${p.title}”：${p.status}（${p.progress}）`,

  // --- residents
  'resident.claimed': (p: P) => `好消息：您的心愿 ${p.code}“${p.title}”已有人认领。`,
  'resident.fullyPledged': (p: P) => `好消息：您的心愿 ${p.code}“${p.title}”已认捐满。`,
  'resident.delivered': (p: P) => `您的心愿 ${p.code}“${p.title}”已标记为送达。请问您收到了吗？`,
  'resident.button.received': () => `我已收到`,
  'resident.visited': (p: P) => `志愿者已将您的心愿 ${p.code}“${p.title}”的上门服务标记为已完成。请问服务完成了吗？`,
  'resident.button.visited': () => `是的，已完成`,
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
  'newwish.askTargetItems': () => `4/8 数量（数字，可带单位，例如“1”或“2袋”）：`,
  'newwish.askTargetVisits': () => `4/8 服务次数（整数，通常为 1）：`,
  'newwish.askDeadline': () => `5/8 截止日期（例如 12月31日、2026-12-24、“明天”，或天数如 14）：`,
  'newwish.askUrgency': () => `6/8 紧急程度：`,
  'newwish.askAlias': () => `7/8 居民的公开称呼，例如“3号楼的一位老人”（切勿写姓名或地址）：`,
  'newwish.askNotes': () => `8/8 仅社工可见的内部备注（联系方式、地址、细节等），没有请发送“-”：`,
  'newwish.invalid': (p: P) => `输入有误：${p.reason}。请重新输入。`,
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
  'reminder.service': (p: P) =>
    `温馨提醒：您 ${p.days} 天前接下了 <b>${p.code}</b>“${p.title}”，上门服务还没有标记为已完成。截止日期是 ${p.deadline}。请问您还在跟进吗？`,
  'reminder.button.stillOn': () => `还在跟进`,
  'reminder.stillOn.ok': () => `谢谢！我们过段时间再跟您确认。`,
  'reminder.stillOn.notNeeded': () => `这一项已经不需要再跟进了，谢谢您！`,
  'worker.staleNoPledge': (p: P) => `${p.code}“${p.title}”已经 ${p.days} 天无人认领或认捐。要不要再转发一次，或调整一下内容？`,
  'worker.deadlineNear': (p: P) => `${p.code}“${p.title}”尚未全部落实，截止日期是 ${p.deadline}。`,
  'digest.header': (p: P) => `🌟 还有 ${p.count} 个心愿在等待热心邻居：`,
  'digest.until': (p: P) => `截止 ${p.date}`,

  // --- cancelling a wish
  'cancelwish.usage': () => `用法：/cancelwish W-1001 [原因]`,
  'cancelwish.ok': (p: P) => `已取消 ${p.code}，并已通知相关爱心人士和居民。`,

  // --- API 令牌（/token）
  'token.role.worker': () => `社工`,
  'token.role.auditor': () => `审计`,
  'token.usageAdmin': () =>
    `用法：/token worker &lt;链接码&gt; [备注] 或 /token auditor &lt;链接码&gt; [备注]\n` +
    `社工令牌可在该社区内操作；审计令牌只能查看。也可以用社区 ID 代替链接码。`,
  'token.unknownCommunity': (p: P) => `没有链接码或 ID 为 ${p.code} 的社区。`,
  'token.refused': () => `只有社工和管理员可以获取 API 令牌。如果您是社工，请先向管理员索取邀请链接。`,
  'token.issuedOwn': (p: P) =>
    `🔑 这是您在 ${p.communities} 的 API 令牌。它只显示这一次，请妥善保密。\n\n<code>${p.token}</code>\n\n` +
    `请在本服务地址下的 /console/ 控制台中粘贴使用，或在调用 HTTP API 时发送 <code>Authorization: Bearer ${p.token}</code>。\n` +
    `再次发送 /token 会生成新令牌并停用这一个。如需吊销，请联系管理员（DELETE /api/v1/tokens/${p.id}）。`,
  'token.issuedFor': (p: P) =>
    `🔑 ${p.communities} 的${p.role}令牌“${p.label}”。它只显示这一次，请私下交给持有人。\n\n<code>${p.token}</code>\n\n` +
    `持有人可在本服务地址下的 /console/ 控制台中粘贴使用，或在调用 HTTP API 时发送 <code>Authorization: Bearer ${p.token}</code>。\n` +
    `令牌 ID 为 <code>${p.id}</code>；吊销请用 DELETE /api/v1/tokens/${p.id}。`,
};
