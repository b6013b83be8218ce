// The csplan workspace page: controls for the scenario's inputs, the
// expected path redrawn on every change, Monte Carlo on demand, save and
// export. No library: the server does the numbers and the charts.
"use strict";
(function () {
  const token = new URLSearchParams(location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  const edits = {};      // path -> value as one line of YAML
  let controls = [];     // from /api/state
  let saved = null;      // the table's values when last saved (or opened)
  let latest = null;     // the last expected path
  let runID = "", source = null, lastRun = "", runEdits = "";
  let seq = 0;           // the newest expected request
  window.csplanLatencies = [];

  async function api(path, body) {
    const opt = { headers: { "X-Csplan-Token": token } };
    if (body !== undefined) {
      opt.method = "POST";
      opt.headers["Content-Type"] = "application/json";
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    const text = await r.text();
    try { return JSON.parse(text); } catch (e) { return { problems: [{ msg: text }] }; }
  }

  // A value the page edits in parts: a range, {pert: {min: 1.3, mode: 2,
  // max: 2.5}}, or a touch model, a row of parts for each meeting:
  // {ebr: {per_year: 4, hours: 2, prep: 4}, ad_hoc: {...}}.
  const partsRe = /^\{\w+: \{[^{}\[\]]*\}(, \w+: \{[^{}\[\]]*\})*\}$/;
  const groupRe = /(\w+): \{([^{}\[\]]*)\}/g;
  const names = { min: "low", mode: "most likely", max: "high", per_year: "a year", hours: "hours", prep: "prep hours" };
  let currency = "";

  // unit is a control's unit as its label says it.
  function unit(c) {
    if (c.unit === "money") return currency;
    if (c.unit) return c.unit;
    if (/_months$/.test(c.path) && !/month/.test(c.label)) return "months";
    return "";
  }

  function build(state) {
    $("name").textContent = state.name + " (" + state.file + ")";
    $("question").textContent = state.question || "";
    if (!$("trials").value) $("trials").value = state.trials;
    $("trials").placeholder = state.trials + " (the scenario's)";
    currency = state.currency || "";
    controls = state.controls;
    const box = $("inputs");
    box.textContent = "";
    const groups = new Map();
    for (const c of controls) {
      if (!groups.has(c.group)) {
        const d = document.createElement("details");
        d.open = groups.size < 2;
        const s = document.createElement("summary");
        s.textContent = c.group;
        d.appendChild(s);
        box.appendChild(d);
        groups.set(c.group, d);
      }
      groups.get(c.group).appendChild(control(c));
    }
  }

  function control(c) {
    const div = document.createElement("div");
    div.className = "control";
    div.dataset.path = c.path;
    const label = document.createElement("label");
    const u = unit(c);
    label.textContent = c.label + (u ? " (" + u + ")" : "");
    label.title = c.path + " · " + c.kind;
    div.appendChild(label);
    // An input the file leaves to its default shows the default, to be
    // edited like any other value; unchanged, it is not an edit.
    const base = c.value || c.default || "";
    if (!c.value) {
      div.classList.add("default");
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = " default";
      label.appendChild(tag);
    }
    const groups = partsRe.test(base) ? [...base.matchAll(groupRe)] : null;
    const fields = [];
    const part = (into, k, v, name) => {
      const l = document.createElement("label");
      l.textContent = names[k] || k;
      const input = document.createElement("input");
      input.value = v;
      input.dataset.key = k;
      input.dataset.group = name;
      input.setAttribute("aria-label", c.label + " " + (groups.length > 1 ? name.replace(/_/g, " ") + " " : "") + (names[k] || k));
      l.appendChild(input);
      into.appendChild(l);
      fields.push(input);
    };
    if (groups) {
      for (const g of groups) {
        if (groups.length > 1) {
          const h = document.createElement("div");
          h.className = "group";
          h.textContent = g[1].replace(/_/g, " ");
          div.appendChild(h);
        }
        const parts = document.createElement("div");
        parts.className = "parts";
        for (const kv of g[2].split(", ")) {
          const [k, v] = kv.split(": ");
          part(parts, k, v, g[1]);
        }
        div.appendChild(parts);
      }
    } else {
      const input = document.createElement("input");
      input.value = base;
      if (!base) input.placeholder = c.shown + " (default)";
      input.setAttribute("aria-label", c.label);
      label.appendChild(input);
      fields.push(input);
    }
    const err = document.createElement("div");
    err.className = "err";
    div.appendChild(err);
    const text = () => {
      if (!groups) return fields[0].value.trim();
      return "{" + groups.map((g) => g[1] + ": {" + fields.filter((x) => x.dataset.group === g[1]).map((x) => x.dataset.key + ": " + x.value.trim()).join(", ") + "}").join(", ") + "}";
    };
    for (const f of fields) {
      f.addEventListener("change", () => {
        const t0 = performance.now();
        if (f.value.trim() === "" && c.default && !groups) f.value = c.default; // emptied: back to the default
        const t = text();
        if (t === base || t === "") delete edits[c.path]; else edits[c.path] = t;
        div.classList.toggle("edited", c.path in edits);
        recompute(t0);
      });
    }
    return div;
  }

  // editsKey is the page's changes in a canonical order, to tell whether
  // the last run's report is of them.
  const editsKey = () => JSON.stringify(Object.keys(edits).sort().map((k) => [k, edits[k]]));

  function showProblems(problems) {
    for (const e of document.querySelectorAll(".control .err")) e.textContent = "";
    const top = $("problems");
    top.textContent = "";
    for (const p of problems || []) {
      const at = p.path && document.querySelector('.control[data-path="' + CSS.escape(p.path) + '"] .err');
      const div = document.createElement("div");
      div.textContent = p.msg;
      (at || top).appendChild(at ? document.createTextNode(p.msg) : div);
      const group = at && at.closest("details");
      if (group) group.open = true; // a message in a closed group would go unseen
    }
  }

  async function recompute(t0) {
    const mine = ++seq;
    $("status").textContent = "Computing the expected path…";
    const res = await api("/api/expected", { set: edits });
    if (mine !== seq) return; // a newer change is on its way
    showProblems(res.problems);
    if (res.problems) {
      $("status").textContent = "Not valid: see the messages in red. Nothing is run or saved until it is.";
      return;
    }
    latest = res;
    if (!saved) saved = res;
    table(res);
    $("charts").innerHTML = res.charts.map((c) => c.svg).join("");
    const ms = performance.now() - t0;
    window.csplanLatencies.push(ms);
    $("latency").textContent = "(redrawn in " + Math.round(ms) + " ms)";
    const n = Object.keys(edits).length;
    $("status").textContent = n === 0 ? "No input changed from the file." : n === 1 ? "1 input changed from the file." : n + " inputs changed from the file.";
    $("runstale").textContent = lastRun && editsKey() !== runEdits ? "The report below is of the inputs before your last changes: Run again to update it." : "";
  }

  function table(res) {
    const t = $("table");
    t.textContent = "";
    const head = t.insertRow();
    head.appendChild(cell("th", "Expected path"));
    for (const o of res.options) head.appendChild(cell("th", o.name));
    for (const l of res.labels) {
      const row = t.insertRow();
      row.dataset.metric = l.key;
      row.appendChild(cell("td", l.label));
      res.options.forEach((o, i) => {
        const m = o.metrics[l.key];
        const td = cell("td", m ? m.text : "");
        const was = saved && saved.options[i] && saved.options[i].metrics[l.key];
        if (m && was && was.value !== m.value) {
          const d = document.createElement("span");
          d.className = "delta";
          d.textContent = "saved: " + was.text;
          td.appendChild(d);
        }
        row.appendChild(td);
      });
    }
  }

  function cell(kind, text) {
    const c = document.createElement(kind);
    c.textContent = text;
    return c;
  }

  $("run").addEventListener("click", async () => {
    const res = await api("/api/run", { set: edits, trials: parseInt($("trials").value, 10) || 0 });
    if (res.problems) { showProblems(res.problems); return; }
    runID = res.id;
    const asked = editsKey();
    $("cancel").disabled = false;
    $("runstatus").textContent = res.cached ? "from the cache" : "running…";
    if (source) source.close();
    source = new EventSource("/api/run/events?id=" + runID + "&token=" + encodeURIComponent(token));
    source.addEventListener("progress", (e) => {
      const p = JSON.parse(e.data);
      $("progress").max = p.total || 1;
      $("progress").value = p.done;
      $("runstatus").textContent = p.done + " of " + p.total + " trials";
    });
    const end = (text) => { source.close(); $("cancel").disabled = true; $("runstatus").textContent = text; };
    source.addEventListener("done", (e) => {
      const n = JSON.parse(e.data).trials;
      $("progress").max = n || 1;
      $("progress").value = n || 1;
      end("done: " + n + " trials");
      lastRun = runID;
      runEdits = asked;
      $("runstale").textContent = "";
      $("export").disabled = false;
      const f = $("report");
      f.hidden = false;
      f.src = "/api/run/report?id=" + runID + "&token=" + encodeURIComponent(token);
    });
    source.addEventListener("cancelled", () => end("cancelled"));
    source.addEventListener("failed", (e) => end("failed: " + JSON.parse(e.data).msg));
  });

  $("cancel").addEventListener("click", async () => {
    if (runID) await api("/api/run/cancel?id=" + runID, {});
  });

  async function save(path) {
    const res = await api("/api/save", { set: edits, path: path });
    if (res.problems) {
      // The save's own problems (a file changed on disk, a name taken)
      // are said beside its buttons; an input's, at its control.
      const own = res.problems.filter((p) => p.path === "save" || p.path === "saveas");
      showProblems(res.problems.filter((p) => !own.includes(p)));
      $("savestatus").textContent = "not saved" + (own.length ? ": " + own.map((p) => p.msg).join(" ") : ": see the messages in red");
      $("reopen").hidden = !res.conflict;
      return;
    }
    showProblems([]);
    $("reopen").hidden = true;
    if (!path) {
      if (editsKey() === runEdits) runEdits = "[]"; // the report's inputs are now the file's
      for (const k of Object.keys(edits)) delete edits[k];
      build(await api("/api/state"));
      $("status").textContent = "Saved: the file now holds every change.";
    }
    saved = latest;
    if (latest) table(latest); // the values saved are no longer changes
    $("savestatus").textContent = "saved " + res.saved;
  }
  $("save").addEventListener("click", () => save(""));
  $("saveasbtn").addEventListener("click", () => {
    const name = $("saveas").value.trim();
    if (!name) { // an empty name would save over the scenario itself
      $("savestatus").textContent = "not saved: give the name of the file to save as, such as my-plan.yaml";
      $("saveas").focus();
      return;
    }
    save(name);
  });

  $("reopen").addEventListener("click", async () => {
    const res = await api("/api/reopen", {});
    if (res.problems) { showProblems(res.problems); return; }
    for (const k of Object.keys(edits)) delete edits[k];
    $("reopen").hidden = true;
    showProblems([]);
    saved = null;
    build(await api("/api/state"));
    $("savestatus").textContent = "reopened " + res.reopened;
    await recompute(performance.now());
  });

  $("export").addEventListener("click", async () => {
    const res = await api("/api/export", { id: lastRun, path: $("exportdir").value.trim() });
    $("exportstatus").textContent = res.problems ? res.problems[0].msg : "exported " + res.exported;
  });

  (async () => {
    const state = await api("/api/state");
    if (state.problems) { $("status").textContent = state.problems[0].msg; return; }
    build(state);
    await recompute(performance.now());
    window.csplanLatencies = [];
    $("status").textContent = "Ready: change an input to see the expected path move.";
  })();
})();
