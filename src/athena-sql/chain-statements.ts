/**
 * The statements of one chainOf() round. The identity crawl (src/query/chain-crawl.ts) asks for
 * events by LookupEvents-style attributes; over the trail table those become `IN` lists:
 * - EventName → `eventname IN (…)` (the hops: AssumeRole*, GetSessionToken, ConsoleLogin, …);
 * - AccessKeyId → `useridentity.accesskeyid IN (…)`;
 * - Username → the user name, or the session name at the end of an assumed-role or federated ARN
 *   (what LookupEvents' Username attribute matches for temporary sessions).
 * Long lists are split so each statement stays under Athena's query-string limit of 262,144 bytes
 * ("the maximum query string length (262,144 bytes) is not an adjustable quota",
 * https://repost.aws/knowledge-center/athena-query-string-length; StartQueryExecution's QueryString
 * "Maximum length of 262144").
 */
import type { Superset } from './condition';
import { sqlString } from './sql-text';
import { selectStatement, type StatementInput } from './statement';

export type ChainAttributeKey = 'EventName' | 'AccessKeyId' | 'Username';

export const MAX_QUERY_BYTES = 262_144;

export function chainCondition(key: ChainAttributeKey, values: readonly string[]): Superset {
  const list = `(${values.map(sqlString).join(', ')})`;
  switch (key) {
    case 'EventName':
      return `eventname IN ${list}`;
    case 'AccessKeyId':
      return `useridentity.accesskeyid IN ${list}`;
    case 'Username':
      return `useridentity.username IN ${list} OR element_at(split(useridentity.arn, '/'), -1) IN ${list}`;
  }
}

export type ChainStatements = { readonly ok: true; readonly statements: readonly string[] } | { readonly ok: false; readonly message: string };

/** As few statements as fit under `maxBytes`, together asking for every value. */
export function chainStatements(
  input: StatementInput,
  key: ChainAttributeKey,
  values: readonly string[],
  maxBytes: number = MAX_QUERY_BYTES,
): ChainStatements {
  const build = (chunk: readonly string[]) => selectStatement(input, [chainCondition(key, chunk)]);
  const statements: string[] = [];
  let chunk: string[] = [];
  // Each value adds its quoted text and ", " once per time the list appears.
  const perList = (chainCondition(key, ['x'])!.match(/IN \(/g) ?? []).length;
  let size = Buffer.byteLength(build(['']), 'utf8');
  for (const value of [...new Set(values)]) {
    const cost = perList * (Buffer.byteLength(sqlString(value), 'utf8') + 2);
    if (chunk.length > 0 && size + cost > maxBytes) {
      statements.push(build(chunk));
      chunk = [];
      size = Buffer.byteLength(build(['']), 'utf8');
    }
    chunk.push(value);
    size += cost;
  }
  if (chunk.length > 0) statements.push(build(chunk));
  const tooLong = statements.find((statement) => Buffer.byteLength(statement, 'utf8') > maxBytes);
  if (tooLong !== undefined) return { ok: false, message: `a chainOf() round's ${key} value is too long for one Athena query (${maxBytes} bytes)` };
  return { ok: true, statements };
}
