/**
 * `ctq athena-ddl`: the CREATE EXTERNAL TABLE for a trail's S3 layout, with partition projection so
 * no partition is ever loaded by hand. The SerDe, input and output formats are the ones AWS documents
 * for CloudTrail ("Create the table for CloudTrail logs in Athena using partition projection",
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html);
 * the projection adds account and region to the date the AWS example projects, as in "Partition
 * projection: supported types" (enum and date types,
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html).
 *
 * Object keys ("Finding your CloudTrail log files", cloudtrail-find-log-files.md):
 *   single account: s3://bucket[/prefix]/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/…
 *   organisation:   s3://bucket[/prefix]/AWSLogs/<o-org>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/…
 */
import { sqlString } from './sql-text';
import { PARTITION, TRAIL_COLUMNS, sqlName, type ColumnType } from './trail-table';

export interface DdlOptions {
  /** `db.table` or `table`. */
  readonly table: string;
  readonly bucket: string;
  /** The trail's S3 key prefix, without slashes at either end; empty for none. */
  readonly prefix: string;
  /** The organisation ID (`o-…`) for an organisation trail, else null. */
  readonly organizationId: string | null;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** First day projected, `yyyy/MM/dd`. */
  readonly start: string;
}

export type DdlCheck = { readonly ok: true; readonly options: DdlOptions } | { readonly ok: false; readonly message: string };

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// AWS documents o- and 10 to 32 characters; shorter placeholders (o-abc123) are accepted as typed.
const ORG = /^o-[a-z0-9]{1,32}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const TABLE_PART = /^[A-Za-z0-9_]+$/;
/**
 * S3's "safe characters" for keys, without the quote: Hive string literals treat `\` and `'` as
 * escapes, so no value that enters the DDL may hold either (every other flag is checked to a
 * narrower set still).
 */
const PREFIX = /^[A-Za-z0-9!\-_.*()/]*$/;

/** Checks each value before it goes into DDL text, naming the flag that is wrong. */
export function checkDdlOptions(options: DdlOptions): DdlCheck {
  if (!options.table.split('.').every((part) => TABLE_PART.test(part)) || options.table.split('.').length > 2) {
    return { ok: false, message: `--table: '${options.table}' is not a table name (letters, digits and '_', optionally 'database.table')` };
  }
  if (!BUCKET.test(options.bucket)) return { ok: false, message: `--bucket: '${options.bucket}' is not an S3 bucket name` };
  if (!PREFIX.test(options.prefix) || options.prefix.startsWith('/') || options.prefix.endsWith('/')) {
    return { ok: false, message: `--prefix: '${options.prefix}' is not a key prefix (no leading or trailing '/', safe characters only)` };
  }
  if (options.organizationId !== null && !ORG.test(options.organizationId)) {
    return { ok: false, message: `--org: '${options.organizationId}' is not an organisation ID (o- followed by lower-case letters or digits)` };
  }
  const badAccount = options.accounts.find((a) => !ACCOUNT.test(a));
  if (options.accounts.length === 0 || badAccount !== undefined) {
    return { ok: false, message: `--accounts: '${badAccount ?? ''}' is not a 12-digit account ID` };
  }
  const badRegion = options.regions.find((r) => !REGION.test(r));
  if (options.regions.length === 0 || badRegion !== undefined) return { ok: false, message: `--regions: '${badRegion ?? ''}' is not a region name` };
  const day = DAY.exec(options.start);
  if (day === null || Number.isNaN(Date.parse(`${day[1]}-${day[2]}-${day[3]}T00:00:00Z`))) {
    return { ok: false, message: `--start: '${options.start}' is not a day written yyyy/MM/dd (e.g. 2024/01/01)` };
  }
  return { ok: true, options };
}

/** The statement for checked options. */
export function athenaDdl(options: DdlOptions): string {
  const base = `s3://${options.bucket}/${options.prefix === '' ? '' : `${options.prefix}/`}AWSLogs/${options.organizationId === null ? '' : `${options.organizationId}/`}`;
  const template = `${base}\${${PARTITION.account}}/CloudTrail/\${${PARTITION.region}}/\${${PARTITION.date}}`;
  const columns = TRAIL_COLUMNS.map((f) => `    ${sqlName(f)} ${hiveType(f.type, 1)}`).join(',\n');
  const properties: [string, string][] = [
    ['projection.enabled', 'true'],
    [`projection.${PARTITION.account}.type`, 'enum'],
    [`projection.${PARTITION.account}.values`, options.accounts.join(',')],
    [`projection.${PARTITION.region}.type`, 'enum'],
    [`projection.${PARTITION.region}.values`, options.regions.join(',')],
    [`projection.${PARTITION.date}.type`, 'date'],
    [`projection.${PARTITION.date}.format`, 'yyyy/MM/dd'],
    [`projection.${PARTITION.date}.range`, `${options.start},NOW`],
    [`projection.${PARTITION.date}.interval`, '1'],
    [`projection.${PARTITION.date}.interval.unit`, 'DAYS'],
    ['storage.location.template', template],
  ];
  return [
    `CREATE EXTERNAL TABLE ${options.table.split('.').map(hiveIdentifier).join('.')} (`,
    columns,
    ')',
    `PARTITIONED BY (${hiveIdentifier(PARTITION.account)} string, ${hiveIdentifier(PARTITION.region)} string, ${hiveIdentifier(PARTITION.date)} string)`,
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION ${sqlString(base)}`,
    'TBLPROPERTIES (',
    properties.map(([key, value]) => `    ${sqlString(key)} = ${sqlString(value)}`).join(',\n'),
    ')',
  ].join('\n') + '\n';
}

/** Athena DDL is Hive DDL: identifiers are quoted with backticks (`timestamp` is a reserved word). */
function hiveIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

function hiveType(type: ColumnType, depth: number): string {
  switch (type.kind) {
    case 'string':
    case 'json':
    case 'opaque':
      return 'STRING';
    case 'map':
      return 'MAP<STRING,STRING>';
    case 'array':
      return `ARRAY<${hiveType(type.of, depth)}>`;
    case 'struct': {
      const pad = '    '.repeat(depth + 1);
      const fields = type.fields.map((f) => `${pad}${sqlName(f)}: ${hiveType(f.type, depth + 1)}`).join(',\n');
      return `STRUCT<\n${fields}>`;
    }
  }
}

