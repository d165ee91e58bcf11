import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // s3rver 3.7.1 enciphers ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 offers only
    // through its legacy provider: without it every second page of a listing is an InternalError, and no
    // test could list more than one page. Only the test processes (where s3rver runs) get it, not ctq.
    execArgv: ['--openssl-legacy-provider'],
  },
});
