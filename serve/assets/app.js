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
  let runID = "", source = null, lastRun = "";
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

  // A value the page edits in parts: {pert: {min: 1.3, mode: 2, max: 2.5}}.
  const partsRe = /^\{(\w+): \{([^{}\[\]]*)\}\}$/;
  const names = { min: "low", mode: "most likely", max: "high" };

  function build(state) {
    $("name").textContent = state.name + " (" + state.file + ")";
    $("question").textContent = state.question || "";
    $("trials").value = state.trials;
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
    label.textContent = c.label + (c.unit && c.unit !== "money" ? " (" + c.unit + ")" : "");
    label.title = c.path + " · " + c.kind;
    div.appendChild(label);
    const m = partsRe.exec(c.value);
    const fields = [];
    if (m) {
      const parts = document.createElement("div");
      parts.className = "parts";
      for (const kv of m[2].split(", ")) {
        const [k, v] = kv.split(": ");
        const l = document.createElement("label");
        l.textContent = names[k] || k;
        const input = document.createElement("input");
        input.value = v;
        input.dataset.key = k;
        input.setAttribute("aria-label", c.label + " " + (names[k] || k));
        l.appendChild(input);
        parts.appendChild(l);
        fields.push(input);
      }
      div.appendChild(parts);
    } else {
      const input = document.createElement("input");
      input.value = c.value;
      input.placeholder = c.value ? "" : c.shown + " (default)";
      input.setAttribute("aria-label", c.label);
      label.appendChild(input);
      fields.push(input);
    }
    const err = document.createElement("div");
    err.className = "err";
    div.appendChild(err);
    for (const f of fields) {
      f.addEventListener("change", () => {
        const t0 = performance.now();
        const text = m ? "{" + m[1] + ": {" + fields.map((x) => x.dataset.key + ": " + x.value.trim()).join(", ") + "}}" : fields[0].value.trim();
        if (text === c.value || text === "") delete edits[c.path]; else edits[c.path] = text;
        div.classList.toggle("edited", c.path in edits);
        recompute(t0);
      });
    }
    return div;
  }

  function showProblems(problems) {
    for (const e of document.querySelectorAll(".control .err")) e.textContent = "";
    const top = $("problems");
    top.textContent = "";
    for (const p of problems || []) {
      const at = p.path && document.querySelector('.control[data-path="' + CSS.escape(p.path) + '"] .err');
      const div = document.createElement("div");
      div.textContent = p.msg;
      (at || top).appendChild(at ? document.createTextNode(p.msg) : div);
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
    $("status").textContent = Object.keys(edits).length + " input(s) changed from the file.";
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
      end("done: " + JSON.parse(e.data).trials + " trials");
      lastRun = runID;
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
      showProblems(res.problems);
      $("savestatus").textContent = res.conflict ? "changed on disk: save as another file, or reopen it" : "not saved";
      $("reopen").hidden = !res.conflict;
      return;
    }
    showProblems([]);
    $("reopen").hidden = true;
    $("savestatus").textContent = "saved " + res.saved;
    if (!path) {
      for (const k of Object.keys(edits)) delete edits[k];
      build(await api("/api/state"));
    }
    saved = latest;
  }
  $("save").addEventListener("click", () => save(""));
  $("saveasbtn").addEventListener("click", () => save($("saveas").value.trim()));

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
