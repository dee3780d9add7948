import type { Express } from 'express';
import { createApp } from '../../src/http/create-app';
import type { RecordedCall } from '../fake-telegram';
import { TestDatabase } from './db';
import { Harness, startHarness } from './bot-harness';
import { testLogger } from './privacy-record';

// What the end-to-end stories through the bot and the API share: the harness (real bot, fake Bot API,
// outbox and sender) with the HTTP app built over the same runtime, and reading the buttons of a call.

export type Button = { text: string; callback_data?: string };
export const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
export const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
/** The answer a press gets when it waited too long for its turn on a loaded machine: a person presses again. */
export const BUSY = /Many people are pressing|现在点击的人很多/;

/** The harness with `adminApiToken`, and the HTTP app as main.ts builds it over the same runtime. */
export async function startBotAndApi(db: TestDatabase, adminApiToken: string): Promise<{ h: Harness; app: Express }> {
  const h = await startHarness(db, { adminApiToken });
  const app = createApp({ ...h.runtime.appDeps(), logger: testLogger(), clock: () => new Date(), isDatabaseReady: async () => true });
  return { h, app };
}
