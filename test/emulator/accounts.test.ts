/** Whose event history a caller sees, with data from one or several accounts. */
import { describe, expect, it } from 'vitest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { parseKeyAccounts } from '../../src/emulator/accounts';
import { syntheticEvents } from '../support/synthetic-events';
import { clientFor, expectedIds, harnessPerTest, idsOf, lookupAll, rejection } from './harness';

const A = '111111111111';
const B = '222222222222';
const region = 'us-east-1';
const multi = syntheticEvents({ count: 150, seed: 11, regions: [region], accounts: [A, B] });
const of = (account: string) => expectedIds(multi, (record) => record['recipientAccountId'] === account);

const emulators = harnessPerTest();

describe('accounts', () => {
  it('serves single-account data to any caller', async () => {
    const single = syntheticEvents({ count: 30, seed: 5, regions: [region], accounts: [A] });
    const harness = await emulators.start(single);
    const events = await lookupAll(clientFor(harness.emulator.url, region, { accessKeyId: 'AKIAANYONE' }));
    expect(idsOf(events).sort()).toEqual(expectedIds(single, () => true));
  });

  it('turns away an unmapped caller when the data holds several accounts', async () => {
    const harness = await emulators.start(multi);
    const client = clientFor(harness.emulator.url, region, { maxAttempts: 1 });
    const error = await rejection(client.send(new LookupEventsCommand({})));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('serves the account --key-account maps the access key to', async () => {
    const harness = await emulators.start(multi, { keyAccounts: parseKeyAccounts([`AKIAALICE=${A}`, `AKIABOB=${B}`]) });
    const forAlice = await lookupAll(clientFor(harness.emulator.url, region, { accessKeyId: 'AKIAALICE' }));
    const forBob = await lookupAll(clientFor(harness.emulator.url, region, { accessKeyId: 'AKIABOB' }));
    expect(idsOf(forAlice).sort()).toEqual(of(A));
    expect(idsOf(forBob).sort()).toEqual(of(B));
  });

  it('serves --account to callers no --key-account names', async () => {
    const harness = await emulators.start(multi, { account: B, keyAccounts: parseKeyAccounts([`AKIAALICE=${A}`]) });
    const forOthers = await lookupAll(clientFor(harness.emulator.url, region, { accessKeyId: 'AKIASOMEONE' }));
    const forAlice = await lookupAll(clientFor(harness.emulator.url, region, { accessKeyId: 'AKIAALICE' }));
    expect(idsOf(forOthers).sort()).toEqual(of(B));
    expect(idsOf(forAlice).sort()).toEqual(of(A));
  });

  it('rejects a malformed --key-account pair', () => {
    expect(() => parseKeyAccounts(['AKIAONLY'])).toThrow(/AKID=ACCOUNT/);
  });
});
