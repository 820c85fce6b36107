import { afterAll, beforeAll } from 'vitest';
import { startSystem, type System } from './system.js';

/** The system of one test file and a seeded merchant's API key, read once the file's beforeAll has run. */
export interface FileSystem {
  readonly system: System;
  readonly key: string;
}

/** Starts a system before the file's tests and stops it after them; call at the top level of the file. */
export function systemForFile(): FileSystem {
  let system: System | undefined;
  let key: string | undefined;
  beforeAll(async () => {
    system = await startSystem();
    key = (await system.seedMerchant()).apiKey;
  });
  afterAll(async () => system?.stop());
  return {
    get system() {
      if (!system) throw new Error('the system starts in beforeAll');
      return system;
    },
    get key() {
      if (key === undefined) throw new Error('the merchant is seeded in beforeAll');
      return key;
    },
  };
}
