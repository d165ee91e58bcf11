/**
 * `--report FILE.html` beside any output format: the matched events go on to the chosen sink as before, and also
 * into the identity picture and the per-API summary; at the end the page is written to a temporary file next to FILE
 * and renamed onto it, so a reader never sees half a report.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { ChainGraphBuilder } from '../graph/chain-graph';
import { sessionIn, type Matches } from '../match-record';
import type { OutputSink } from '../sinks';
import { createSummary, type Summary } from '../summary';
import { reportHtml } from './report-html';

export interface ReportOptions {
  readonly file: string;
  readonly argv: readonly string[];
  readonly now: () => Date;
  /** The report could not be written: the run fails with this message. */
  readonly onError: (message: string) => void;
}

export class ReportSink implements OutputSink {
  private readonly graph = new ChainGraphBuilder();
  private readonly summary: Summary = createSummary({ sessionOf: (event, graph) => sessionIn(graph, event) });

  constructor(
    private readonly inner: OutputSink,
    private readonly options: ReportOptions,
  ) {}

  write(matches: Matches): Promise<void> | void {
    for (const { event } of matches.records) {
      this.graph.add(event, matches.graph?.enrichment(event) ?? null);
      this.summary.add(event, matches.graph);
    }
    return this.inner.write(matches);
  }

  async finish(): Promise<void> {
    await this.inner.finish();
    const html = reportHtml({
      graph: this.graph.finish(),
      summaryRows: this.summary.rows(),
      argv: this.options.argv,
      generatedAt: this.options.now(),
    });
    const temporary = `${this.options.file}.ctq-${process.pid}.tmp`;
    try {
      await writeFile(temporary, html, { encoding: 'utf8', mode: 0o644 });
      await rename(temporary, this.options.file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      this.options.onError(`--report ${this.options.file}: cannot write the report: ${message}`);
    }
  }
}
