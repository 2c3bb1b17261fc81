// jdht dashboard: polls /api/state once a second and renders it. No dependencies.
"use strict";
(function () {
  const POLL_MS = 1000;
  const MAX_LOOKUP_ROWS = 12;
  const $ = (id) => document.getElementById(id);
  const fmt = (n) => (n === null || n === undefined) ? "–" : Number(n).toLocaleString("en-US");
  const ms = (v) => (v === null || v === undefined) ? "–" : v < 1000 ? v + " ms" : (v / 1000).toFixed(2) + " s";
  const secs = (v) => (v === null || v === undefined) ? "–" : v < 1 ? Math.round(v * 1000) + " ms" : v + " s";

  // the value behind each data-metric element: the same number /metrics exports (summed over labels)
  function metricValues(s) {
    const c = s.counters;
    const v = {
      dht_routing_table_nodes: c.routing_nodes,
      dht_datagrams_received_total: c.datagrams_in,
      dht_datagrams_sent_total: c.datagrams_out,
      dht_received_bytes_total: c.bytes_in,
      dht_sent_bytes_total: c.bytes_out,
      dht_queries_received_total: c.queries_in,
      dht_queries_sent_total: c.queries_out,
      dht_queries_answered_total: c.queries_answered,
      dht_responses_received_total: c.responses_in,
      dht_query_timeouts_total: c.timeouts,
      dht_datagrams_dropped_total: c.dropped_malformed + c.dropped_rate_limited
          + c.dropped_unknown_transaction + c.handler_failures,
      dht_peer_store_peers: c.stored_peers,
      dht_peer_store_infohashes: c.stored_infohashes,
      dht_transactions_in_flight: c.in_flight,
      dht_lookups_running: c.lookups_running,
    };
    if (s.crawl) {
      v.dht_crawl_infohashes = s.crawl.distinct_infohashes;
      v.dht_crawl_samples_total = s.crawl.samples;
      v.dht_crawl_nodes_known = s.crawl.nodes_known;
      v.dht_crawl_nodes_sampled = s.crawl.nodes_sampled;
    }
    return v;
  }

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  // per-second rates between consecutive history points for column `col`
  function rates(history, col) {
    const out = [];
    for (let i = 1; i < history.length; i++) {
      const dt = (history[i][0] - history[i - 1][0]) / 1000;
      out.push([history[i][0], dt > 0 ? Math.max(0, (history[i][col] - history[i - 1][col]) / dt) : 0]);
    }
    return out;
  }

  // the average rate over the last `windowMs` of history for column `col`
  function recentRate(history, col, windowMs) {
    if (history.length < 2) return null;
    const end = history[history.length - 1];
    let start = history[history.length - 2];
    for (let i = history.length - 2; i >= 0 && end[0] - history[i][0] <= windowMs; i--) start = history[i];
    const dt = (end[0] - start[0]) / 1000;
    return dt > 0 ? (end[col] - start[col]) / dt : null;
  }

  function chart(canvas, series) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const css = getComputedStyle(document.documentElement);
    const pts = series.flatMap((s) => s.points);
    if (pts.length < 2) {
      g.fillStyle = css.getPropertyValue("--muted");
      g.font = "12px sans-serif";
      g.fillText("collecting…", 10, h / 2);
      return;
    }
    const x0 = Math.min(...pts.map((p) => p[0])), x1 = Math.max(...pts.map((p) => p[0]));
    const ymax = Math.max(1, ...pts.map((p) => p[1])) * 1.1;
    const left = 48, right = 8, top = 8, bottom = 20;
    const X = (t) => left + (w - left - right) * (x1 > x0 ? (t - x0) / (x1 - x0) : 1);
    const Y = (v) => top + (h - top - bottom) * (1 - v / ymax);
    g.strokeStyle = css.getPropertyValue("--line");
    g.fillStyle = css.getPropertyValue("--muted");
    g.font = "11px sans-serif";
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = ymax * i / 4, y = Y(v);
      g.beginPath(); g.moveTo(left, y); g.lineTo(w - right, y); g.stroke();
      g.fillText(v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1), 4, y + 4);
    }
    const span = (x1 - x0) / 1000;
    g.fillText("-" + (span >= 120 ? Math.round(span / 60) + " min" : Math.round(span) + " s"), left, h - 4);
    g.fillText("now", w - right - 22, h - 4);
    for (const s of series) {
      g.strokeStyle = css.getPropertyValue(s.color);
      g.lineWidth = 1.8;
      g.setLineDash(s.dash ? [5, 4] : []);
      g.beginPath();
      s.points.forEach((p, i) => (i ? g.lineTo(X(p[0]), Y(p[1])) : g.moveTo(X(p[0]), Y(p[1]))));
      g.stroke();
    }
  }

  // rebuilds a list only when its data changed (keeps hover and selection stable)
  const drawn = {};
  function changed(key, data) {
    const text = JSON.stringify(data);
    if (drawn[key] === text) return false;
    drawn[key] = text;
    return true;
  }

  function renderBuckets(buckets) {
    if (!changed("buckets", buckets)) return;
    const box = $("buckets");
    box.textContent = "";
    if (buckets.length === 0) {
      box.textContent = "empty";
      return;
    }
    for (const b of buckets) {
      const label = document.createElement("div");
      label.className = "bucket-label";
      label.textContent = "depth " + b.depth + (b.family === "ipv6" ? " v6" : "");
      const cells = document.createElement("div");
      cells.className = "cells bucket";
      cells.dataset.depth = b.depth;
      cells.dataset.family = b.family;
      cells.dataset.good = b.good;
      cells.dataset.questionable = b.questionable;
      cells.dataset.bad = b.bad;
      cells.title = b.good + " good, " + b.questionable + " questionable, " + b.bad + " bad";
      const kinds = [].concat(Array(b.good).fill("good"), Array(b.questionable).fill("questionable"), Array(b.bad).fill("bad"));
      for (let i = 0; i < Math.max(8, kinds.length); i++) {
        const c = document.createElement("span");
        c.className = "cell " + (kinds[i] || "");
        cells.appendChild(c);
      }
      const repl = document.createElement("div");
      repl.className = "repl";
      repl.textContent = b.replacements ? "+" + b.replacements : "";
      box.append(label, cells, repl);
    }
  }

  function renderLookups(s) {
    const rows = s.lookups_running.concat(s.lookups_recent).slice(0, MAX_LOOKUP_ROWS);
    if (!changed("lookups", rows)) return;
    const body = $("lookups");
    body.textContent = "";
    if (rows.length === 0) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = 8;
      td.className = "muted";
      td.textContent = "no lookup yet";
      return;
    }
    for (const l of rows) {
      const tr = body.insertRow();
      tr.className = l.running ? "running" : "";
      const state = l.running ? "running" : l.cancelled ? "cancelled" : "done " + ms(l.ago_ms) + " ago";
      const cells = [l.kind, l.target.slice(0, 12) + "…", state, fmt(l.queries), fmt(l.responses), fmt(l.peers),
        ms(l.first_peer_ms), l.running ? ms(l.elapsed_ms) + "…" : ms(l.elapsed_ms)];
      cells.forEach((text, i) => {
        const td = tr.insertCell();
        td.textContent = text;
        if (i >= 3) td.className = "n";
        if (i === 1) td.title = l.target;
      });
    }
  }

  function renderQuantiles(s) {
    const parts = ["RTT p50 " + secs(s.rtt.p50_seconds) + ", p90 " + secs(s.rtt.p90_seconds) + " (" + fmt(s.rtt.count) + ")"];
    for (const [kind, h] of Object.entries(s.lookup_done)) {
      parts.push(kind + " done p50 " + secs(h.p50_seconds) + ", p90 " + secs(h.p90_seconds) + " (" + fmt(h.count) + ")");
    }
    for (const [kind, h] of Object.entries(s.lookup_first_peer)) {
      parts.push(kind + " first peer p50 " + secs(h.p50_seconds));
    }
    setText($("quantiles"), parts.join(" · "));
  }

  function render(s) {
    setText($("node-id"), s.node_id);
    const values = metricValues(s);
    for (const el of document.querySelectorAll("[data-metric]")) {
      const v = values[el.dataset.metric];
      setText(el, v === undefined ? "–" : fmt(v));
    }
    const c = s.counters;
    setText($("good-nodes"), fmt(c.good_nodes));
    setText($("bucket-count"), fmt(new Set(s.buckets.map((b) => b.depth)).size));
    setText($("drops"), fmt(c.dropped_malformed) + " malformed · " + fmt(c.dropped_rate_limited) + " rate-limited · "
        + fmt(c.dropped_unknown_transaction) + " unknown tx");
    const hin = rates(s.history, 1), hout = rates(s.history, 2);
    const rin = recentRate(s.history, 1, 5000), rout = recentRate(s.history, 2, 5000);
    setText($("rate-in"), rin === null ? "–" : rin.toFixed(1));
    setText($("rate-out"), rout === null ? "–" : rout.toFixed(1));
    chart($("traffic"), [{ points: hout, color: "--out" }, { points: hin, color: "--in", dash: true }]);
    renderBuckets(s.buckets);
    renderLookups(s);
    renderQuantiles(s);
    const crawl = $("crawl");
    crawl.hidden = !s.crawl;
    if (s.crawl) {
      setText($("crawl-rate"), s.crawl.samples_per_second === null ? "–" : s.crawl.samples_per_second.toFixed(1));
      const cov = s.crawl.coverage_estimate;
      setText($("crawl-coverage"), cov === null ? "–" : (cov * 100).toFixed(1) + " %");
      $("crawl-coverage-bar").style.width = cov === null ? "0" : Math.min(100, cov * 100) + "%";
      chart($("crawl-chart"), [
        { points: s.history.filter((p) => p[7] >= 0).map((p) => [p[0], p[7]]), color: "--ih" },
        { points: s.history.filter((p) => p[8] >= 0).map((p) => [p[0], p[8]]), color: "--nodes" }]);
    }
    setText($("sequence"), String(s.sequence));
    document.body.dataset.sequence = s.sequence;
  }

  async function poll() {
    const status = $("status");
    try {
      const r = await fetch("/api/state", { cache: "no-store" });
      if (!r.ok) throw new Error("HTTP " + r.status);
      render(await r.json());
      status.className = "status live";
      setText(status, "live · updated " + new Date().toLocaleTimeString("en-GB"));
    } catch (e) {
      status.className = "status stale";
      setText(status, "no data: " + e.message);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }
  poll();
})();
