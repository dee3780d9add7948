import { Language } from '../domain/community';
import { Catalog, en, MessageKey } from './catalog/en';
import { zh } from './catalog/zh';

export const catalogs: Record<Language, Catalog> = { en, zh };
export const LANGUAGES: readonly Language[] = ['en', 'zh'];

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function t(language: Language, key: MessageKey, params: Params = {}): string {
  const entry = catalogs[language][key] as (p: Params) => string;
  return entry(params);
}

export function translator(language: Language): Translate {
  return (key, params) => t(language, key, params);
}

export type { MessageKey };
