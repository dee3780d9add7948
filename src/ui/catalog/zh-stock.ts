import { StockCatalog } from './en-stock';

// 捐赠物资、余物分享、月度小结与公益成效页的中文文本，键与 en-stock.ts 相同。

export const zhStock: StockCatalog = {
  'refusal.item_not_found': () => `社区库存里没有这种物品。`,
  'refusal.allocation_not_found': () => `没有这笔库存分配。`,
  'refusal.not_enough_stock': () => `库存不够了。`,
  'refusal.offer_not_found': () => `这次分享已不存在。`,
  'refusal.offer_closed': () => `这次分享已结束。`,
};
