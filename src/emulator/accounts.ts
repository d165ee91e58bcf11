/**
 * Which account's event history a caller sees. Real LookupEvents answers for the account that owns
 * the calling credentials; the emulator has no IAM, so: data of a single account is everyone's,
 * `--key-account AKID=ACCOUNT` maps an access key to an account, `--account ID` serves one account
 * to every other key, and with several accounts and neither, the caller is turned away the way AWS
 * turns away an unknown access key.
 */
import { apiErrors, type ApiError } from './errors';

export interface AccountRules {
  readonly keyAccounts: ReadonlyMap<string, string>;
  readonly account: string | null;
}

export type AccountChoice = { readonly ok: true; readonly account: string } | { readonly ok: false; readonly error: ApiError };

export function accountFor(accessKeyId: string, rules: AccountRules, dataAccounts: readonly string[]): AccountChoice {
  const mapped = rules.keyAccounts.get(accessKeyId) ?? rules.account;
  if (mapped !== null) return { ok: true, account: mapped };
  if (dataAccounts.length <= 1) return { ok: true, account: dataAccounts[0] ?? 'unknown' };
  return {
    ok: false,
    error: apiErrors.unrecognizedClient(
      `The security token included in the request is invalid: access key ${accessKeyId} maps to none of the ` +
        `${dataAccounts.length} accounts in the data (start ctq-emulator with --account or --key-account).`,
    ),
  };
}

/** Parses `AKID=ACCOUNT` pairs as given to `--key-account`; a malformed pair is an Error for the CLI to report. */
export function parseKeyAccounts(pairs: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const match = /^([^=\s]+)=(\S+)$/.exec(pair);
    if (match === null) throw new Error(`--key-account expects AKID=ACCOUNT, got ${JSON.stringify(pair)}`);
    map.set(match[1]!, match[2]!);
  }
  return map;
}
