import type { Telegram } from 'telegraf';
import { Language } from '../domain/community';
import { LANGUAGES } from '../ui/i18n';

// The command lists Telegram shows in its menu, per chat type and per app language.

const COMMANDS = {
  private: ['help', 'mypledges', 'profile', 'language', 'privacy', 'mydata', 'erase', 'offer', 'myhours', 'myteams', 'newwish', 'mywishes', 'matches', 'received', 'token', 'intakelink', 'cancel'],
  group: ['wishes', 'link', 'teamchat', 'language', 'help'],
} as const;

const DESCRIPTIONS = {
  en: {
    help: 'What I can do',
    mypledges: 'Your claims and pledges',
    profile: 'How your name appears',
    language: 'English or 中文',
    newwish: 'Post a new wish (workers)',
    mywishes: 'Wishes you posted or follow',
    token: 'Your API token for the console (workers)',
    intakelink: 'Links residents open to tell their needs (workers)',
    matches: 'Who in the directory could help with a wish (workers)',
    received: 'Record goods that arrived (workers)',
    offer: 'Offer your help: what, where, when',
    myhours: 'Hours you served with a volunteer team',
    myteams: 'Teams you lead and their join links',
    teamchat: "Make this group a volunteer team's chat (its lead)",
    mydata: 'What I keep about you',
    erase: 'Ask for your data to be erased',
    privacy: 'What you agreed to be shared, and taking it back',
    cancel: 'Stop what you are doing',
    wishes: 'Open wishes of this community',
    link: 'Attach this group to a community',
  },
  zh: {
    help: '使用帮助',
    mypledges: '我的认领与认捐',
    profile: '我的显示名称',
    language: 'English 或 中文',
    newwish: '发布新的微心愿（社工）',
    mywishes: '我发布或关注的心愿',
    token: '获取控制台 API 令牌（社工）',
    intakelink: '居民求助链接（社工）',
    matches: '资源库中谁能帮助某个心愿（社工）',
    received: '登记收到的捐赠物资（社工）',
    offer: '提供帮助：什么、在哪里、何时',
    myhours: '我在志愿服务队的服务时长',
    myteams: '我带领的服务队及入队链接',
    teamchat: '将本群设为服务队的队伍群（队长）',
    mydata: '我保存的关于您的信息',
    erase: '申请删除您的数据',
    privacy: '我同意公开的内容，以及撤回',
    cancel: '取消当前操作',
    wishes: '本社区的待认领心愿',
    link: '将本群关联到社区',
  },
} as const;

/** Registers the command lists: one per language, and the default language's for every other app language. */
export async function registerCommands(telegram: Telegram, defaultLanguage: Language): Promise<void> {
  const register = async (lang: Language, languageCode?: string) => {
    const d = DESCRIPTIONS[lang];
    const extra = (type: 'all_private_chats' | 'all_group_chats') => ({ scope: { type }, ...(languageCode ? { language_code: languageCode } : {}) });
    await telegram.setMyCommands(COMMANDS.private.map((c) => ({ command: c, description: d[c] })), extra('all_private_chats'));
    await telegram.setMyCommands(COMMANDS.group.map((c) => ({ command: c, description: d[c] })), extra('all_group_chats'));
  };
  await register(defaultLanguage);
  for (const lang of LANGUAGES) await register(lang, lang);
}
