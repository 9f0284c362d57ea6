import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TrajectoryRecord } from '../core/dataset/records';
import type { BuildReport } from '../core/dataset/report';
import type { EpisodeRecord } from '../core/eval/episode';
import type { EvalReport } from '../core/eval/summary';
import { buildReportPage } from '../core/report/build-page';
import type { ChartSpec } from '../core/report/charts';
import { evalReportPage } from '../core/report/eval-page';
import type { ChartSet } from '../core/report/html';
import { writeFileAtomic } from './files';

/** The HTML report written next to a build's or an evaluation's results. */
export const HTML_REPORT = 'report.html';

const RENDERER = path.join(__dirname, 'chart-renderer.mjs');

/**
 * Renders Vega-Lite specifications to SVG in a child Node process (Vega is ES-module only, with
 * top-level await). A failure is returned, not thrown: a report without charts beats no report.
 */
export function renderCharts(specs: Record<string, ChartSpec>): Promise<Record<string, string> | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RENDERER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (error) => resolve({ error: error.message }));
    child.on('close', (code) => {
      if (code !== 0) {
        resolve({ error: `the chart renderer exited with ${code}: ${err.trim().split('\n').slice(-3).join(' ')}` });
        return;
      }
      try {
        resolve(JSON.parse(out) as Record<string, string>);
      } catch (error) {
        resolve({ error: `the chart renderer's output is not JSON (${(error as Error).message})` });
      }
    });
    child.stdin.end(JSON.stringify(specs));
  });
}

async function writePage(file: string, built: { charts: ChartSet; html: string }): Promise<void> {
  const svgs = await renderCharts(built.charts.specs);
  writeFileAtomic(file, built.charts.fill(built.html, svgs));
}

/** report.html of a build, with `sample` (a kept trajectory) shown as a conversation. */
export function writeBuildHtmlReport(file: string, report: BuildReport, sample: TrajectoryRecord | null): Promise<void> {
  return writePage(file, buildReportPage(report, sample));
}

/** report.html of an evaluation. */
export function writeEvalHtmlReport(file: string, report: EvalReport, records: EpisodeRecord[]): Promise<void> {
  return writePage(file, evalReportPage(report, records));
}
