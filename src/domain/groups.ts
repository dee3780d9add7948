import { Language } from './community';

/** A Telegram group the bot is in. */
export interface Group {
  chatId: number;
  title: string;
  communityId?: string;
  language?: Language;
  /** False once the bot was removed. */
  active: boolean;
  linkedBy?: number;
  linkedAt?: Date;
  updatedAt: Date;
}

export interface GroupStore {
  get(chatId: number): Promise<Group | null>;
  /** Records that the bot is (or is no longer) in the group. */
  setPresence(chatId: number, title: string, active: boolean, at: Date): Promise<void>;
  link(chatId: number, title: string, communityId: string, by: number, at: Date): Promise<void>;
  setLanguage(chatId: number, language: Language, at: Date): Promise<void>;
  /** Active groups linked to a community. */
  ofCommunity(communityId: string): Promise<Group[]>;
  linked(): Promise<Group[]>;
}
