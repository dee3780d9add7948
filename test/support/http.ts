import pino from 'pino';
import { createApp } from '../../src/http/create-app';
import { pingDatabase } from '../../src/db/connection';
import { Services } from '../../src/services';
import { TestDatabase } from './db';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function buildApp(db: TestDatabase, services: Services, timezone = 'Asia/Shanghai') {
  return createApp({
    logger: pino({ level: 'silent' }),
    wishes: services.wishes,
    communities: services.communities,
    resolveToken: services.resolveToken,
    isDatabaseReady: () => pingDatabase(db.conn),
    timezone,
  });
}
