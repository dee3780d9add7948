// A test file that leaks on purpose, for test/unit/privacy-scan.test.ts: run by a jest of its own, it
// must come out with one failed test, the privacy scan's (its name is not *.test.ts, so the suite skips it).
import { fieldKeyring } from '../../src/db/field-crypto';
import { recordGroupCall, testLogger } from './privacy-record';

const LEAKED = process.env.PRIVACY_LEAK_VALUE ?? 'Mrs Example, flat 4B, needs a walker';

it('seals a note, then logs it and posts it to a group', () => {
  fieldKeyring().seal(LEAKED, 'notes');
  testLogger().info({ detail: LEAKED }, 'oops');
  recordGroupCall('sendMessage', { chat_id: -1001, text: `A wish: ${LEAKED}` });
});
