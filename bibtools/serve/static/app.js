// bibtools serve: the page's behaviour. Plain JavaScript, no build step, no outside asset.
// Metadata always goes into the page as text (textContent); the formatted entries the
// engine rendered are rebuilt from a short list of allowed tags, never trusted as HTML.
"use strict";

const page = document.body.dataset;
const state = { entries: [], records: [], fingerprint: page.fingerprint || "", timers: {} };
const $ = (id) => document.getElementById(id);

async function call(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Bibtools-Token": page.token },
    body: JSON.stringify(Object.assign({ workspace: page.workspace }, options(), body || {})),
  });
  const text = await response.text();
  let data;
  try { data = JSON.parse(text); } catch (e) { throw new Error(text || response.statusText); }
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function options() {
  return { style: $("style").value || "apa", locale: $("locale").value, highlight: $("highlight").value, group_by: $("group-by").value };
}

function say(id, text, bad) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("bad", !!bad);
}

// -- the engine's markup, rebuilt from allowed pieces ---------------------------------
const ALLOWED = new Set(["I", "B", "EM", "STRONG", "SUP", "SUB", "SPAN", "DIV", "A", "BR"]);
const STYLE_CLASSES = { "font-variant:small-caps;": "sc", "font-style:normal;": "roman", "font-weight:normal;": "unbold", "text-decoration:underline;": "underline" };
const KEPT_CLASSES = new Set(["csl-left-margin", "csl-right-inline", "csl-block", "csl-indent", "csl-entry"]);

function safeFragment(html) {
  const parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
  const out = document.createDocumentFragment();
  copyChildren(parsed.body, out);
  return out;
}

function copyChildren(from, to) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) { to.appendChild(document.createTextNode(node.nodeValue)); continue; }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    if (!ALLOWED.has(node.tagName)) { copyChildren(node, to); continue; }  // keep the text, drop the tag
    const el = document.createElement(node.tagName.toLowerCase());
    const style = (node.getAttribute("style") || "").replace(/\s+/g, "");
    if (STYLE_CLASSES[style]) el.classList.add(STYLE_CLASSES[style]);
    for (const cls of (node.getAttribute("class") || "").split(/\s+/)) if (KEPT_CLASSES.has(cls)) el.classList.add(cls);
    if (node.tagName === "A") {
      const href = node.getAttribute("href") || "";
      if (/^https?:\/\//i.test(href)) { el.href = href; el.rel = "noopener noreferrer"; el.target = "_blank"; }
    }
    copyChildren(node, el);
    to.appendChild(el);
  }
}

// -- records and preview ---------------------------------------------------------------
function show(data) {
  if (data.records) { state.records = data.records; drawRecords(); }
  if (data.entries) { state.entries = data.entries; drawPreview(); }
  const problems = $("problems");
  problems.replaceChildren();
  for (const p of data.problems || []) { const li = document.createElement("li"); li.textContent = p; problems.appendChild(li); }
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  if (text !== undefined) td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function drawRecords() {
  const body = $("records").tBodies[0];
  body.replaceChildren();
  $("count").textContent = "(" + state.records.length + ")";
  for (const record of state.records) body.appendChild(recordRow(record));
}

function recordRow(record) {
  const row = document.createElement("tr");
  row.dataset.uid = record.uid;
  const keyCell = cell(row);
  const key = document.createElement("input");
  key.className = "key";
  key.value = record.key;
  key.setAttribute("aria-label", "citation key");
  key.addEventListener("input", () => later(record.uid, () => edit(record.uid, { key: key.value.trim() }, key)));
  keyCell.appendChild(key);
  const titleCell = cell(row);
  const title = document.createElement("input");
  title.className = "title";
  title.value = record.title;
  title.setAttribute("aria-label", "title");
  title.addEventListener("input", () => later(record.uid, () => edit(record.uid, { title: title.value }, title)));
  titleCell.appendChild(title);
  cell(row, record.detected + " · " + record.type, "detected");
  const problems = cell(row, undefined, "findings");
  const list = document.createElement("ul");
  for (const f of record.findings) { const li = document.createElement("li"); li.className = f.severity; li.textContent = f.rule + " " + f.message; list.appendChild(li); }
  for (const d of record.duplicates) { const li = document.createElement("li"); li.className = "duplicate"; li.textContent = d; list.appendChild(li); }
  problems.appendChild(list);
  const actions = cell(row);
  const drop = document.createElement("button");
  drop.type = "button";
  drop.textContent = "Remove";
  drop.addEventListener("click", () => run(() => call("/api/remove", { uid: record.uid }).then(show)));
  actions.appendChild(drop);
  return row;
}

function later(uid, fn) {  // typing: one request once the user pauses
  clearTimeout(state.timers[uid]);
  state.timers[uid] = setTimeout(fn, 250);
}

async function edit(uid, change, input) {
  try {
    const data = await call("/api/edit", Object.assign({ uid: uid }, change));
    input.classList.remove("bad");
    input.title = "";
    input.dataset.saved = input.value;  // what the server holds now
    const i = state.records.findIndex((r) => r.uid === uid);
    if (i >= 0) state.records[i] = data.record;
    const j = state.entries.findIndex((e) => e.uid === uid);
    if (j >= 0) { state.entries[j] = data.entry; drawEntry(j); }
  } catch (err) {
    input.classList.add("bad");
    input.title = err.message;
  }
}

function drawPreview() {
  const preview = $("preview");
  preview.replaceChildren();
  let group = null;
  state.entries.forEach((entry, i) => {
    if (entry.group && entry.group !== group) {
      group = entry.group;
      const h = document.createElement("h3");
      h.textContent = group;
      preview.appendChild(h);
    }
    preview.appendChild(entryElement(entry, i));
  });
}

function entryElement(entry, i) {
  const div = document.createElement("div");
  div.className = "entry";
  div.dataset.uid = entry.uid;
  div.dataset.index = String(i);
  const body = document.createElement("div");
  body.className = "csl-entry";
  body.appendChild(safeFragment(entry.html));
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy-one";
  copy.textContent = "Copy";
  copy.addEventListener("click", () => copyRich(state.entries[Number(div.dataset.index)].html, state.entries[Number(div.dataset.index)].text));
  div.append(body, copy);
  return div;
}

function drawEntry(i) {
  const old = $("preview").querySelector('.entry[data-index="' + i + '"]');
  if (old) old.replaceWith(entryElement(state.entries[i], i));
}

// -- clipboard ---------------------------------------------------------------------------
async function copyRich(html, text) {
  try {
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      await navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" }),
      })]);
    } else {
      await navigator.clipboard.writeText(text);
    }
    say("copy-status", "Copied (rich text and plain text).");
  } catch (err) {
    say("copy-status", "The browser refused the clipboard: " + err.message, true);
  }
}

function listHtml() {
  return '<div class="csl-bib-body">' + state.entries.map((e) => '<div class="csl-entry">' + e.html + "</div>").join("\n") + "</div>";
}

// -- actions -----------------------------------------------------------------------------
async function run(fn) {
  try { await fn(); } catch (err) { say("status", err.message, true); }
}

async function paste(replace) {
  const text = $("paste").value;
  if (!text.trim()) { say("status", "Paste something first.", true); return; }
  say("status", "Reading…");
  const started = performance.now();
  const data = await call("/api/paste", { text: text, replace: replace });
  show(data);
  const ms = Math.round(performance.now() - started);
  say("status", "Read " + data.added + " record(s) as " + data.detected + (data.offline ? " (offline: cache only)" : "") + " in " + ms + " ms.");
  const messages = $("messages");
  messages.replaceChildren();
  for (const m of data.messages) { const li = document.createElement("li"); li.textContent = m; messages.appendChild(li); }
}

async function refresh() {
  if (!state.records.length) return;
  say("status", "Rendering…");
  show(await call("/api/preview"));
  say("status", "Preview in " + ($("style").value || "apa") + ".");
}

async function searchStyles() {
  const q = $("style-search").value;
  const response = await fetch("/api/styles?q=" + encodeURIComponent(q));
  const data = await response.json();
  const select = $("style");
  const current = select.selectedOptions[0];
  const styles = data.styles.slice();
  // the style in use stays listed (first) so a search never changes it behind the preview's back
  if (current && !styles.some((s) => s.name === current.value)) styles.unshift({ name: current.value, label: current.textContent });
  select.replaceChildren();
  for (const s of styles) {
    const option = document.createElement("option");
    option.value = s.name;
    option.textContent = s.label || s.title + " (" + s.name + ")";
    select.appendChild(option);
  }
  if (current) select.value = current.value;
}

async function exportText() {
  const data = await call("/api/export", { format: $("export-format").value });
  $("export-text").value = data.text;
  return data.text;
}

function downloadLink() {
  $("download").href = "/api/download?workspace=" + encodeURIComponent(page.workspace) + "&format=" + encodeURIComponent($("export-format").value);
}

async function merge(confirm) {
  const data = await call("/api/merge", { fingerprint: state.fingerprint, confirm: confirm });
  if (data.refused) {
    say("merge-status", data.refused, true);
    $("merge-confirm").disabled = true;
    return;
  }
  $("diff").textContent = data.diff || "(nothing would change)";
  if (confirm) {
    state.fingerprint = data.fingerprint;
    $("merge-confirm").disabled = true;
    say("merge-status", (data.written ? "Written. " : "Nothing to write. ") + data.summary + (data.backup ? " Backup: " + data.backup : ""));
  } else {
    $("merge-confirm").disabled = !data.diff;
    say("merge-status", data.summary);
  }
}

function init() {
  $("parse").addEventListener("click", () => run(() => paste(false)));
  $("replace").addEventListener("click", () => run(() => paste(true)));
  $("style-search").addEventListener("input", () => later("styles", () => run(searchStyles)));
  for (const id of ["style", "locale", "group-by"]) $(id).addEventListener("change", () => run(refresh));
  $("highlight").addEventListener("input", () => later("highlight", () => run(refresh)));
  $("copy-list").addEventListener("click", () => copyRich(listHtml(), state.entries.map((e) => e.text).join("\n")));
  $("cite").addEventListener("click", () => run(async () => {
    const data = await call("/api/cite", { keys: $("cite-keys").value, locator: $("cite-locator").value, label: $("cite-label").value });
    $("citation").replaceChildren(safeFragment(data.html));
  }));
  $("export-format").addEventListener("change", () => { downloadLink(); run(exportText); });
  $("copy-export").addEventListener("click", () => run(async () => {
    const text = await exportText();
    try { await navigator.clipboard.writeText(text); say("export-status", "Copied."); }
    catch (err) { say("export-status", "The browser refused the clipboard: " + err.message, true); }
  }));
  downloadLink();
  if ($("merge-preview")) {
    $("merge-preview").addEventListener("click", () => run(() => merge(false)));
    $("merge-confirm").addEventListener("click", () => run(() => merge(true)));
  }
  run(searchStyles);
}

init();
