import { DraftWording } from '../domain/intake';
import { Translate } from './i18n';

/** The words of an intake's draft wish in the reader's language: the bot's button and the console's form make the same draft. */
export function draftWording(t: Translate, communityName: string | undefined): DraftWording {
  return { voiceTitle: t('intake.voiceTitle'), privateTitle: t('intake.privateTitle'), alias: t('intake.alias', { community: communityName ?? '' }) };
}
