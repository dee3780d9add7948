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
};
