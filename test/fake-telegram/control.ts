// The fake Bot API's control side, for people and scripts outside the test process: push an update as
// Telegram would deliver it, read the call log (all of it, or filtered). `npm run fake-telegram` and
// `npm run demo` serve it.
import express, { type Express } from 'express';
import { CallsFilterError, filterCalls, parseCallsFilter } from './calls-filter';
import type { FakeTelegram } from './types';

export function createControlApp(fake: FakeTelegram): Express {
  const control = express();
  control.disable('x-powered-by');
  control.use(express.json());
  control.post('/_fake/updates', (req, res) => {
    // pushUpdate marks whoever writes to the bot in private as having started it, as on Telegram.
    res.json(fake.pushUpdate(req.body as object));
  });
  // GET /_fake/calls[?since=<seq or ISO time>&method=sendMessage,editMessageText&chat_id=-100123]
  control.get('/_fake/calls', (req, res) => {
    try {
      res.json(filterCalls(fake.calls, parseCallsFilter(req.query as Record<string, unknown>)));
    } catch (err) {
      if (!(err instanceof CallsFilterError)) throw err;
      res.status(400).json({ error: err.message });
    }
  });
  return control;
}
