// Runs the fake Bot API on its own, so `npm start` can be tried without Telegram:
//   npm run fake-telegram            (prints the token and the API root to use)
// FAKE_TELEGRAM_PORT fixes the control port (default 8081), FAKE_TELEGRAM_API_PORT the Bot API's
// (default: any free port). Then push updates as Telegram would deliver them, e.g.
//   curl -X POST localhost:8081/_fake/updates -H 'content-type: application/json' \
//     -d '{"message":{"message_id":1,"date":0,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Ann"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}'
// and read what the bot sent with `curl localhost:8081/_fake/calls` (`?since=<seq or ISO time>`,
// `&method=sendMessage`, `&chat_id=42` narrow it).
import { createControlApp } from './control';
import { startFakeTelegram } from './index';

async function main() {
  const fake = await startFakeTelegram({ token: process.env.FAKE_TELEGRAM_TOKEN ?? '123456:FAKE-TOKEN', port: Number(process.env.FAKE_TELEGRAM_API_PORT ?? 0) });
  const control = createControlApp(fake);
  const port = Number(process.env.FAKE_TELEGRAM_PORT ?? 8081);
  control.listen(port, '127.0.0.1', () => {
    process.stdout.write(
      `Fake Telegram Bot API at ${fake.apiRoot}\n` +
        `Control: POST http://127.0.0.1:${port}/_fake/updates, GET http://127.0.0.1:${port}/_fake/calls[?since=&method=&chat_id=]\n\n` +
        `Start the service against it:\n  BOT_TOKEN=${fake.token} TELEGRAM_API_ROOT=${fake.apiRoot} BOT_MODE=polling npm start\n`,
    );
  });
}

void main();
