/**
 * Between the matching and the output: events that matched a threshold (a rule with `threshold:`, or
 * `--count-by` on the command line) are counted per key in sliding windows; a key that reaches the
 * threshold becomes one alert record. Events of ordinary rules pass through, with `_ctq.rules` naming
 * only the ordinary rules. Every source writes matched lines here, so thresholds work on all of them.
 */
import { hideIssuedSecrets } from '../identity/issued-secrets';
import { isSessionCall } from '../rules/check';
import type { RuleSpec, ThresholdSpec } from '../rules/rule';
import { compileValueReader } from '../language';
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';
import { timestampInstant } from '../language/ordering';
import type { IdentityGraph } from '../identity';
import { MatchRecord, sessionIn, type Matches } from '../output/match-record';
import { alertRecord, type AlertSource } from './alert';
import { formatDuration } from '../rules/duration';
import { SlidingWindows, type WindowState } from './sliding-window';

type Reader = (event: JsonObject, graph: IdentityGraph | null) => JsonValue | JsonValue[];

interface Threshold {
  readonly source: AlertSource;
  readonly keyOf: readonly Reader[];
  readonly distinctOf: Reader | null;
  readonly windows: SlidingWindows;
}

export interface ThresholdStageOptions {
  /** `--count-by`: every matched event is counted; none is printed. */
  readonly cli: (ThresholdSpec & { readonly windowText: string }) | null;
  readonly rules: readonly RuleSpec[];
  onWarning(message: string): void;
}

export type ThresholdState = Readonly<Record<string, WindowState>>;

const CLI_KEY = '--count-by';

export class ThresholdStage {
  private readonly byRule = new Map<string, Threshold>();
  private readonly cli: Threshold | null;
  private warnedUndated = false;

  constructor(private readonly options: ThresholdStageOptions) {
    this.cli = options.cli === null ? null : this.compile(options.cli, { rule: null, title: null, severity: null, window: options.cli.windowText });
    for (const rule of options.rules) {
      if (rule.threshold === undefined) continue;
      this.byRule.set(rule.id, this.compile(rule.threshold, { rule: rule.id, title: rule.title, severity: rule.severity ?? null, window: formatDuration(rule.threshold.windowMs) }));
    }
  }

  static needed(options: Pick<ThresholdStageOptions, 'cli' | 'rules'>): boolean {
    return options.cli !== null || options.rules.some((rule) => rule.threshold !== undefined);
  }

  /** Matched events in; the records to write out (events and alerts) back. `session()` keys read the batch's graph. */
  process(matches: Matches): MatchRecord[] {
    const out: MatchRecord[] = [];
    for (const record of matches.records) this.record(record, matches.graph, out);
    return out;
  }

  private record(record: MatchRecord, graph: IdentityGraph | null, out: MatchRecord[]): void {
    const event = record.event;
    if (this.cli !== null) this.count(this.cli, event, graph, out);
    const ctq = event._ctq;
    const ids = isJsonObject(ctq) && Array.isArray(ctq.rules) ? (ctq.rules as JsonValue[]) : null;
    if (ids === null) {
      if (this.cli === null) out.push(record);
      return;
    }
    const titles = isJsonObject(ctq) && Array.isArray(ctq.titles) ? ctq.titles : [];
    const plain: JsonValue[] = [];
    const plainTitles: JsonValue[] = [];
    const alerts: MatchRecord[] = [];
    ids.forEach((id, i) => {
      const threshold = typeof id === 'string' ? this.byRule.get(id) : undefined;
      if (threshold !== undefined) {
        this.count(threshold, event, graph, alerts);
        return;
      }
      plain.push(id);
      plainTitles.push(titles[i] ?? null);
    });
    // The event (when some ordinary rule still names it) comes before the alerts it completed.
    if (this.cli === null && plain.length > 0) {
      out.push(plain.length === ids.length ? record : MatchRecord.of({ ...event, _ctq: { ...(ctq as JsonObject), rules: plain, titles: plainTitles } }));
    }
    out.push(...alerts);
  }

  private count(threshold: Threshold, event: JsonObject, graph: IdentityGraph | null, out: MatchRecord[]): void {
    // Read as the time window reads it: a time without a zone is UTC, whatever the machine's zone.
    const ms = typeof event.eventTime === 'string' ? timestampInstant(event.eventTime) : null;
    if (ms === null) {
      if (!this.warnedUndated) this.options.onWarning('an event without a readable eventTime is not counted by thresholds');
      this.warnedUndated = true;
      return;
    }
    const key = JSON.stringify(threshold.keyOf.map((read) => read(event, graph)));
    const eventID = typeof event.eventID === 'string' ? event.eventID : null;
    const value = threshold.distinctOf === null ? undefined : JSON.stringify(threshold.distinctOf(event, graph));
    const hit = threshold.windows.add(key, value === undefined ? { ms, eventID } : { ms, eventID, value });
    if (hit !== null) out.push(MatchRecord.of(alertRecord(threshold.source, hit)));
  }

  /** The open windows, for --state: the next run continues them. */
  save(): ThresholdState {
    const state: Record<string, WindowState> = {};
    if (this.cli !== null) state[CLI_KEY] = this.cli.windows.save();
    for (const [id, threshold] of this.byRule) state[id] = threshold.windows.save();
    return state;
  }

  restore(state: ThresholdState): void {
    if (this.cli !== null && state[CLI_KEY] !== undefined) this.cli.windows.restore(state[CLI_KEY]);
    for (const [id, threshold] of this.byRule) if (state[id] !== undefined) threshold.windows.restore(state[id]);
  }

  private compile(spec: ThresholdSpec, about: Omit<AlertSource, 'keyNames' | 'threshold' | 'distinct'>): Threshold {
    return {
      source: { ...about, keyNames: spec.countBy, threshold: spec.threshold, distinct: spec.distinct ?? null },
      keyOf: spec.countBy.map((path) => this.printableReader(path)),
      distinctOf: spec.distinct === undefined ? null : this.printableReader(spec.distinct),
      windows: new SlidingWindows(spec.threshold, spec.windowMs, spec.distinct !== undefined),
    };
  }

  /** Keys and distinct values are printed in alerts and kept in --state: the secrets an STS response logs are hidden. */
  private printableReader(path: string): Reader {
    const read = this.reader(path);
    return (event, ...rest) => hideIssuedSecrets(read(event, ...rest), event);
  }

  private reader(path: string): Reader {
    if (isSessionCall(path)) return (event, graph) => sessionIn(graph, event);
    const compiled = compileValueReader(path);
    if (!compiled.ok) throw new Error(`threshold path '${path}' failed to compile after it was checked`);
    return compiled.read;
  }
}
