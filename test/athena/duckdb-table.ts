/**
 * The Athena trail table laid out in DuckDB, to run ctq's generated SQL on the same events ctq reads.
 * This tests the COMPILER'S LOGIC (is the WHERE a superset of ctq's predicate?), not Trino: DuckDB is
 * a different engine, reached through the small map below.
 *
 * Layout (what Athena's CloudTrail SerDe does, as far as the compiler relies on it):
 * - each column of TRAIL_COLUMNS under its lower-case name; member names are matched without regard
 *   to case, as Hive's JSON SerDe does;
 * - a STRING column holds a JSON string as is, a boolean or number as its JSON text, null/missing as NULL;
 * - the four JSON columns (requestParameters, …) hold the member's JSON text;
 * - `"$path"` is the object the event came from; `account`, `region`, `timestamp` the partition
 *   values of that object's key (the date folder is the delivery day, see `deliveredDay`).
 *
 * Trino → DuckDB function map (applied outside string literals):
 * | Trino                              | DuckDB                                                         |
 * | json_extract_scalar(j, p)          | macro: NULL for an object or array, else json_extract_string    |
 * | JSON path member `["name"]`        | `."name"`                                                      |
 * | any_match(a, r -> c)               | (len(list_filter(a, r -> c)) > 0)                              |
 * | element_at(array, i)               | list_extract(array, i)                                         |
 * | split(s, d)                        | string_split(s, d)                                             |
 * json_extract, strpos, lower, substr, LIKE … ESCAPE, IN, IS [NOT] NULL are the same in both;
 * json_array_length is too, but for a value that is not an array (Trino NULL, DuckDB 0: both fail `> 0`).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAIL_COLUMNS, type ColumnType, type Field } from '../../src/athena-sql';
import type { JsonObject, JsonValue } from '../../src/language/json';

export interface StoredEvent {
  readonly event: JsonObject;
  /** The S3 object it is in. */
  readonly path: string;
  readonly account: string;
  readonly region: string;
  /** `yyyy/MM/dd` of the folder it was delivered into. */
  readonly day: string;
}

export class DuckTrailTable {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(events: readonly StoredEvent[]): Promise<DuckTrailTable> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const dir = mkdtempSync(join(tmpdir(), 'ctq-duck-'));
    try {
      const file = join(dir, 'rows.ndjson');
      writeFileSync(file, events.map((stored) => JSON.stringify(rowOf(stored))).join('\n') + '\n');
      const columns = [
        ...TRAIL_COLUMNS.map((f) => `'${f.name.toLowerCase()}': '${duckType(f.type)}'`),
        `'$path': 'VARCHAR'`,
        `'account': 'VARCHAR'`,
        `'region': 'VARCHAR'`,
        `'timestamp': 'VARCHAR'`,
      ].join(', ');
      await connection.run(`CREATE TABLE trail AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${columns}})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await connection.run(
      `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(json_extract(j, p)) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END`,
    );
    return new DuckTrailTable(instance, connection);
  }

  /** Runs a generated statement (its FROM names the Athena table) and returns the `"$path"|eventid` pairs. */
  async select(trinoSql: string): Promise<Set<string>> {
    return new Set((await this.rows(trinoSql)).map(([path, id]) => `${path}|${id}`));
  }

  /** The rows of a generated statement, as Athena's result set would hold them (text or null). */
  async rows(trinoSql: string): Promise<(string | null)[][]> {
    const sql = toDuckDb(trinoSql).replace(/\nFROM [^\n]+/, '\nFROM trail');
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value))));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** The function map above, applied outside string literals. */
export function toDuckDb(sql: string): string {
  let out = '';
  let i = 0;
  const closers: number[] = []; // paren depth at which an any_match closes
  let depth = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      const literal = sql.slice(i, j + 1);
      out += literal.startsWith("'$") ? literal.replace(/\["((?:[^"\\])*)"\]/g, '."$1"') : literal;
      i = j + 1;
      continue;
    }
    const rest = sql.slice(i);
    const fn = /^(any_match|element_at|split)\(/.exec(rest);
    const wordStart = i === 0 || !/[\w.]/.test(sql[i - 1]!);
    if (fn !== null && wordStart) {
      depth++;
      if (fn[1] === 'any_match') {
        out += '(len(list_filter(';
        closers.push(depth);
      } else {
        out += fn[1] === 'element_at' ? 'list_extract(' : 'string_split(';
      }
      i += fn[0].length;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') {
      if (closers.at(-1) === depth) {
        closers.pop();
        out += ')) > 0)';
        depth--;
        i++;
        continue;
      }
      depth--;
    }
    out += c;
    i++;
  }
  return out;
}

function duckType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
    case 'opaque':
      return 'VARCHAR';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'array':
      return `${duckType(type.of)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name.toLowerCase()}" ${duckType(f.type)}`).join(', ')})`;
  }
}

function rowOf(stored: StoredEvent): Record<string, unknown> {
  return {
    ...(shape(stored.event, { kind: 'struct', fields: TRAIL_COLUMNS }) as Record<string, unknown>),
    $path: stored.path,
    account: stored.account,
    region: stored.region,
    timestamp: stored.day,
  };
}

/** A JSON value as the SerDe would present it in a column of this type. */
function shape(value: JsonValue | undefined, type: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  switch (type.kind) {
    case 'string':
    case 'opaque':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'json':
      return JSON.stringify(value);
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) : null;
    case 'array':
      return Array.isArray(value) ? value.map((item) => shape(item, type.of)) : null;
    case 'struct':
      return isObject(value) ? Object.fromEntries(type.fields.map((f) => [f.name.toLowerCase(), shape(memberIgnoringCase(value, f), f.type)])) : null;
  }
}

function memberIgnoringCase(object: JsonObject, field: Field): JsonValue | undefined {
  if (Object.hasOwn(object, field.name)) return object[field.name];
  const key = Object.keys(object).find((k) => k.toLowerCase() === field.name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
