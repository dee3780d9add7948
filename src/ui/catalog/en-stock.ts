// Donated goods, surplus offers, monthly summaries and the impact page, in English. zh-stock.ts has the same keys.

export const enStock = {
  'refusal.item_not_found': () => `There is no such item in the community's stock.`,
  'refusal.allocation_not_found': () => `There is no such allocation of stock.`,
  'refusal.not_enough_stock': () => `There is not that much left in stock.`,
  'refusal.offer_not_found': () => `This offer no longer exists.`,
  'refusal.offer_closed': () => `This offer has closed.`,
};

export type StockCatalog = { [K in keyof typeof enStock]: (typeof enStock)[K] };
