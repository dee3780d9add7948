import { StockCatalog } from './en-stock';

// 捐赠物资、余物分享、月度小结与公益成效页的中文文本，键与 en-stock.ts 相同。

type P = Record<string, string | number>;

export const zhStock: StockCatalog = {
  'refusal.item_not_found': () => `社区库存里没有这种物品。`,
  'refusal.allocation_not_found': () => `没有这笔库存分配。`,
  'refusal.not_enough_stock': () => `库存不够了。`,
  'refusal.offer_not_found': () => `这次分享已不存在。`,
  'refusal.offer_closed': () => `这次分享已结束。`,
  'surplus.card': (p: P) => `🎁 <b>${p.name} ${p.quantity}${p.unit}</b> 免费领取，每人最多 ${p.cap}${p.unit}。\n领取地点：${p.where}，时间：${p.when}。`,
  'surplus.card.left': (p: P) => `还剩 ${p.left}${p.unit}。按下方按钮领取。`,
  'surplus.card.gone': () => `已全部领完，谢谢！`,
  'surplus.card.closed': () => `本次分享已结束。`,
  'surplus.button.take': (p: P) => `领一份（最多 ${p.cap}）`,
  'surplus.took': (p: P) => `领到了：您现在有 ${p.mine} 份。领取地点和时间我会私信告诉您。`,
  'surplus.capReached': (p: P) => `您已经有 ${p.mine} 份了，这是每人最多能领的数量。`,
  'surplus.gone': () => `抱歉，已经领完了。`,
  'surplus.toTaker': (p: P) => `🎁 您领到了 ${p.name} ${p.count}${p.unit}。\n请到<b>${p.where}</b>领取，时间：${p.when}。`,
  'monthly.header': (p: P) => `📊 <b>${p.community} ${p.month}小结</b>`,
  'monthly.figures': (p: P) => `实现心愿：${p.wishes} 个\n募得善款：${p.amount}\n发放物资：${p.goods} 件\n志愿服务：${p.hours} 小时`,
  'monthly.thanksDonors': (p: P) => `感谢${p.who}！`,
  'monthly.others': (p: P) => `${p.count} 位默默奉献的邻居`,
  'monthly.thanksTeams': (p: P) => `也感谢${p.teams}的志愿服务。`,
  'monthly.team': (p: P) => `${p.name}（${p.hours} 小时）`,
  'profile.thanked': () => `在月度感谢中署名：是`,
  'profile.notThanked': () => `在月度感谢中署名：否（只计数，不署名）`,
  'profile.button.thank': () => `每月感谢时写上我的名字`,
  'profile.button.noThank': () => `感谢时不写我的名字`,
  'impact.title': (p: P) => `${p.community}携手成果`,
  'impact.intro': () => `邻里、爱心商家、志愿者和社区社工一起，一件一件帮居民实现微心愿。`,
  'impact.wishes': () => `实现心愿`,
  'impact.money': () => `募得善款`,
  'impact.goods': () => `发放物资（件）`,
  'impact.hours': () => `志愿服务（小时）`,
  'impact.donors': () => `伸出援手的个人和商家`,
  'impact.stories': () => `最近实现的心愿`,
  'impact.noStories': () => `暂时还没有可以展示的内容。`,
  'impact.notFound': () => `这里没有公开页面。`,
};
