import type { ChatMessage } from '../policy/prompts';
import type { ChartSpec } from './charts';

/** Building blocks of the static HTML reports: escaping, tables, chart slots, the conversation view. */

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A number for people: thousands separated, shares to 3 places. */
export function num(value: number | null | undefined, places = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(places);
}

export function table(headers: string[], rows: (string | number | null)[][], cls = ''): string {
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? num(c) : esc(c ?? '–')}</td>`).join('')}</tr>`);
  return `<table class="${cls}"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

/** Key figures as tiles. */
export function tiles(items: [string, string][]): string {
  return `<div class="tiles">${items.map(([k, v]) => `<div class="tile"><div class="v">${esc(v)}</div><div class="k">${esc(k)}</div></div>`).join('')}</div>`;
}

/** A page's charts: their specifications, and where each one's SVG goes. */
export class ChartSet {
  readonly specs: Record<string, ChartSpec> = {};

  add(id: string, spec: ChartSpec): string {
    this.specs[id] = spec;
    return `<figure class="chart" id="chart-${esc(id)}"><!--chart:${id}--></figure>`;
  }

  /** The HTML with each chart slot filled (an SVG, or a note when the chart could not be rendered). */
  fill(html: string, svgs: Record<string, string> | { error: string }): string {
    return html.replace(/<!--chart:([\w-]+)-->/g, (_, id: string) =>
      'error' in svgs && typeof svgs.error === 'string'
        ? `<p class="note">chart not rendered: ${esc(svgs.error)}</p>`
        : ((svgs as Record<string, string>)[id] ?? `<p class="note">chart ${esc(id)} missing</p>`),
    );
  }
}

/** What the conversation view shows next to each doctor turn. */
export interface TurnView {
  turn: number;
  hypothesis_distance: number | null;
  gold_rank: number | null;
  converging: boolean | null;
  rac: number | null;
  orders: { test: string; answered: boolean; grounded: boolean | null; cost: number }[];
}

export interface TrajectoryView {
  title: string;
  facts: [string, string][];
  messages: ChatMessage[];
  turns: TurnView[];
}

/** One trajectory as a readable conversation: each doctor turn beside its per-turn metrics. */
export function trajectoryView(view: TrajectoryView): string {
  let assistantTurn = 0;
  const bubbles = view.messages.map((m) => {
    if (m.role === 'system') {
      return `<details class="msg system"><summary>system prompt</summary><pre>${esc(m.content)}</pre></details>`;
    }
    if (m.role === 'user') return `<div class="msg user"><div class="who">environment</div><pre>${esc(m.content)}</pre></div>`;
    const metrics = view.turns[assistantTurn++];
    return `<div class="turn-row"><div class="msg assistant"><div class="who">doctor · turn ${assistantTurn}</div>${doctorTurn(m.content)}</div>${metrics ? turnMetrics(metrics) : ''}</div>`;
  });
  return `<section class="trajectory" id="trajectory"><h2>${esc(view.title)}</h2>${tiles(view.facts)}<div class="conversation">${bubbles.join('')}</div></section>`;
}

/** A doctor's JSON turn as reasoning, ranked differential and action (the raw text if it is not a turn). */
function doctorTurn(content: string): string {
  let turn: {
    reasoning?: string;
    differential?: { diagnosis: string; likelihood: number }[];
    action?: { type: string; tests?: string[]; diagnosis?: string; rationale?: string };
  };
  try {
    turn = JSON.parse(content);
  } catch {
    return `<pre>${esc(content)}</pre>`;
  }
  const ddx = (turn.differential ?? [])
    .map((d) => `<li>${esc(d.diagnosis)} <span class="lk">${num(d.likelihood, 2)}</span></li>`)
    .join('');
  const action =
    turn.action?.type === 'final_diagnosis'
      ? `<div class="action final">final diagnosis: <b>${esc(turn.action.diagnosis)}</b></div>`
      : `<div class="action">orders: <b>${esc((turn.action?.tests ?? []).join('; '))}</b>${turn.action?.rationale ? ` — ${esc(turn.action.rationale)}` : ''}</div>`;
  return `<p class="reasoning">${esc(turn.reasoning)}</p><ol class="ddx">${ddx}</ol>${action}`;
}

function turnMetrics(t: TurnView): string {
  const orders = t.orders
    .map(
      (o) =>
        `<li class="${o.answered ? 'answered' : 'unavailable'}">${esc(o.test)}: ${o.answered ? 'answered' : 'UNAVAILABLE'}${o.grounded === true ? ', grounded' : o.grounded === false ? ', ungrounded' : ''}, $${num(o.cost)}</li>`,
    )
    .join('');
  return `<aside class="metrics"><div>h<sub>t</sub> (distance to gold) <b>${num(t.hypothesis_distance)}</b></div><div>gold rank <b>${num(t.gold_rank)}</b></div><div>converging <b>${t.converging === null ? '–' : t.converging ? 'yes' : 'no'}</b></div><div>RAC <b>${num(t.rac)}</b></div>${orders ? `<ul>${orders}</ul>` : ''}</aside>`;
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#222;background:#fff}
h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#666;margin:0 0 12px}.note{color:#a33}
.tiles{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.tile{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:110px}
.tile .v{font-size:20px;font-weight:bold}.tile .k{font-size:12px;color:#666}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{margin:0;border:1px solid #eee;border-radius:6px;padding:6px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border-bottom:1px solid #eee;padding:3px 8px;text-align:left}th{background:#f6f6f6}
table.wide{width:100%}.ok{color:#176b2c}.bad{color:#a33}
.conversation{display:flex;flex-direction:column;gap:8px}.msg{border-radius:8px;padding:8px 12px;max-width:760px}
.msg pre{white-space:pre-wrap;font-family:inherit;margin:0}.who{font-size:11px;color:#666;text-transform:uppercase;margin-bottom:4px}
.system{background:#f4f4f4}.user{background:#eef3fa}.assistant{background:#f3f8ef;flex:1}
.turn-row{display:flex;gap:10px;align-items:flex-start}.metrics{font-size:12px;border:1px solid #ddd;border-radius:6px;padding:6px 10px;width:300px}
.metrics ul{padding-left:16px;margin:4px 0}.unavailable{color:#a33}.answered{color:#176b2c}
.ddx{margin:4px 0 4px 18px;padding:0}.lk{color:#666;font-size:12px}.action{margin-top:4px}.reasoning{margin:0 0 4px}
`;

export function page(title: string, subtitle: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body><h1>${esc(title)}</h1><p class="sub">${esc(subtitle)}</p>${body}</body></html>\n`;
}
