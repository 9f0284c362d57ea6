// Renders Vega-Lite specifications to static SVG. Vega is published as ES modules with top-level
// await, which CommonJS code cannot require, so the report writer runs this file as a child process:
// stdin {"id": spec, ...} → stdout {"id": "<svg …>", ...}.
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const specs = JSON.parse(input);
const out = {};
for (const [id, spec] of Object.entries(specs)) {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  out[id] = await view.toSVG();
  view.finalize();
}
process.stdout.write(JSON.stringify(out));
