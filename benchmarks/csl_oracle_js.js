// citeproc-js side of benchmarks/csl_oracle_large.py: reads a JSON job on stdin
// {style, locales_dir, lang, refs, clusters, outputs, repeat}, writes results on stdout.
// Same procedure as ../shared/oracle/csl/README.md: register all, cite each alone in
// order (note number = position), then the clusters.
const fs = require('fs');
const path = require('path');
const CSL = require(path.join(__dirname, '.node', 'node_modules', 'citeproc'));
const job = JSON.parse(fs.readFileSync(0, 'utf8'));
const byId = {};
for (const r of job.refs) byId[r.id] = r;
const sys = {
  retrieveItem: (id) => byId[id],
  retrieveLocale: (lang) => {
    const p = path.join(job.locales_dir, `locales-${lang}.xml`);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : false;
  },
};
const styleXml = fs.readFileSync(job.style, 'utf8');
function run(format) {
  const engine = new CSL.Engine(sys, styleXml, job.lang || undefined);
  engine.setOutputFormat(format);
  const ids = job.refs.map((r) => r.id);
  engine.updateItems(ids);
  const citations = {};
  const clusters = [];
  let note = 0;
  for (const id of ids) {
    note += 1;
    citations[id] = engine.makeCitationCluster([{ id }]);
  }
  for (const cl of job.clusters) clusters.push(engine.makeCitationCluster(cl.items));
  const bib = engine.makeBibliography();
  const bibliography = {};
  const order = bib ? bib[0].entry_ids.map((e) => e[0]) : [];
  const misaligned = bib ? bib[0].entry_ids.length !== bib[1].length : false;
  const entries = !bib ? [] : misaligned ? pagedEntries(engine, order) : bib[1];
  entries.forEach((e, i) => {
    bibliography[order[i]] = e === null ? "" : e.replace(/^\s*<div class="csl-entry">/, '').replace(/<\/div>\s*$/, '').trim();
  });
  return { bibliography, order, citations, clusters, misaligned, n_ids: order.length, n_entries: bib ? bib[1].length : 0 };
}
// citeproc-js leaves out an entry that prints nothing but keeps its id in entry_ids:
// one page of one entry at a time says which id printed what (null: nothing).
function pagedEntries(engine, order) {
  const out = [];
  let start = true;
  for (const id of order) {
    const page = engine.makeBibliography({ page_start: start, page_length: 1 });
    out.push(page && page[1].length ? page[1][0] : null);
    start = id;
  }
  return out;
}
const out = { formats: {}, ms: [] };
for (const f of job.outputs) out.formats[f] = run(f);
for (let i = 0; i < (job.repeat || 0); i++) {
  const t = process.hrtime.bigint();
  run(job.outputs[0]);
  out.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
}
process.stdout.write(JSON.stringify(out));
