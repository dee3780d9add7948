// Donated goods, surplus offers, monthly summaries and the impact page, in English. zh-stock.ts has the same keys.

type P = Record<string, string | number>;

export const enStock = {
  'refusal.item_not_found': () => `There is no such item in the community's stock.`,
  'refusal.allocation_not_found': () => `There is no such allocation of stock.`,
  'refusal.not_enough_stock': () => `There is not that much left in stock.`,
  'refusal.offer_not_found': () => `This offer no longer exists.`,
  'refusal.offer_closed': () => `This offer has closed.`,
  'surplus.card': (p: P) => `🎁 <b>${p.quantity} ${p.unit} ${p.name}</b> to give away, up to ${p.cap} each.\nCollect: ${p.where}, ${p.when}.`,
  'surplus.card.left': (p: P) => `${p.left} left. Press the button to take one.`,
  'surplus.card.gone': () => `All taken. Thank you!`,
  'surplus.card.closed': () => `This offer has closed.`,
  'surplus.button.take': (p: P) => `Take one (up to ${p.cap})`,
  'surplus.took': (p: P) => `It's yours: you have ${p.mine}. I'll tell you privately where and when to collect.`,
  'surplus.capReached': (p: P) => `You already have ${p.mine}, the most one person may take.`,
  'surplus.gone': () => `Sorry, they are all taken.`,
  'surplus.toTaker': (p: P) => `🎁 You have ${p.count} ${p.unit} ${p.name}.\nCollect them at <b>${p.where}</b>, ${p.when}.`,
  'monthly.header': (p: P) => `📊 <b>${p.month} in ${p.community}</b>`,
  'monthly.figures': (p: P) => `Wishes fulfilled: ${p.wishes}\nMoney raised: ${p.amount}\nItems handed out: ${p.goods}\nVolunteer hours: ${p.hours}`,
  'monthly.thanksDonors': (p: P) => `Thank you to ${p.who}!`,
  'monthly.others': (p: P) => `${p.count} ${Number(p.count) === 1 ? 'neighbour' : 'neighbours'} who gave quietly`,
  'monthly.thanksTeams': (p: P) => `And thank you to ${p.teams} for their service.`,
  'monthly.team': (p: P) => `${p.name} (${p.hours} h)`,
  'profile.thanked': () => `Named in the monthly thanks: yes`,
  'profile.notThanked': () => `Named in the monthly thanks: no (you are counted, not named)`,
  'profile.button.thank': () => `Thank me by name each month`,
  'profile.button.noThank': () => `Don't name me in the thanks`,
  'impact.title': (p: P) => `What ${p.community} achieved together`,
  'impact.intro': () => `Neighbours, businesses, volunteers and the community's social workers, meeting residents' small needs one by one.`,
  'impact.wishes': () => `Wishes fulfilled`,
  'impact.money': () => `Money raised`,
  'impact.goods': () => `Items handed out`,
  'impact.hours': () => `Volunteer hours`,
  'impact.donors': () => `People and businesses who helped`,
  'impact.stories': () => `Recently fulfilled`,
  'impact.noStories': () => `Nothing to show yet.`,
  'impact.notFound': () => `There is no public page here.`,
};

export type StockCatalog = { [K in keyof typeof enStock]: (typeof enStock)[K] };
