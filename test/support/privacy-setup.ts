// setupFilesAfterEnv: every value a test file seals is recorded for the privacy scan (privacy-record.ts).
import { recordSeals } from './privacy-record';

recordSeals();
