"""Turn a results file into ``docs/performance.md`` and ``docs/performance.png``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.apps import LABELS
from bench.inprocess import CASES

__all__ = ("evaluate_targets", "render_markdown", "write_report")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGE = DOCS / "performance.md"
CHART = DOCS / "performance.png"
PEERS = ("starlette", "litestar", "quart_trio")


def _median(summary: dict[str, Any] | None) -> float:
    if not summary or not summary.get("n"):
        return math.nan
    return float(summary["median"])


def _fmt(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _ratio(a: float, b: float) -> str:
    if math.isnan(a) or math.isnan(b) or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def _spread(summary: dict[str, Any] | None) -> str:
    if not summary or not summary.get("n"):
        return "–"
    return f"±{summary['spread'] * 50:.0f}%"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 6's targets: what was measured and whether it is met."""
    targets: list[dict[str, Any]] = []
    inprocess = results.get("inprocess", {}).get("cases", {})
    for case_name, per in inprocess.items():
        trioweb, starlette = _median(per.get("trioweb")), _median(per.get("starlette"))
        if math.isnan(trioweb) or math.isnan(starlette):
            continue
        targets.append(
            {
                "target": f"in-process {CASES[case_name].label}: ≤ 0.5× Starlette",
                "measured": f"{trioweb / starlette:.2f}× ({_fmt(trioweb)} vs {_fmt(starlette)} µs)",
                "met": trioweb <= 0.5 * starlette,
            }
        )
    e2e = results.get("e2e", {}).get("cases", {})
    for case_name, per in e2e.items():
        trioweb, bare = (
            _median(per.get("trioweb", {}).get("rps")),
            _median(per.get("bare", {}).get("rps")),
        )
        if math.isnan(trioweb) or math.isnan(bare):
            continue
        cpu_t = _median(per["trioweb"].get("server_cpu_us"))
        cpu_b = _median(per["bare"].get("server_cpu_us"))
        targets.append(
            {
                "target": f"end to end {CASES[case_name].label}: ≥ 0.97× bare ASGI req/s",
                "measured": f"{trioweb / bare:.2f}× req/s; server CPU/request "
                f"{cpu_b / cpu_t:.2f}× of bare's speed",
                "met": trioweb >= 0.97 * bare,
            }
        )
    disconnect = results.get("streaming", {}).get("disconnect_to_finally_ms", {})
    if "trioweb" in disconnect and disconnect["trioweb"]["n"]:
        p99 = disconnect["trioweb"]["p99"]
        never = disconnect["trioweb"]["never"]
        targets.append(
            {
                "target": "disconnect → finally p99 ≤ 5 ms",
                "measured": f"{p99:.2f} ms (n={disconnect['trioweb']['n']}, never={never})",
                "met": p99 <= 5 and not never,
            }
        )
    idle = results.get("streaming", {}).get("idle_sse", {}).get("bytes_per_connection", {})
    if "trioweb" in idle and "bare" in idle:
        over = _median(idle["trioweb"]) - _median(idle["bare"])
        targets.append(
            {
                "target": "idle SSE connection ≤ 2 KB over bare ASGI",
                "measured": f"{over / 1024:+.1f} KiB ({_median(idle['trioweb']) / 1024:.1f} vs "
                f"{_median(idle['bare']) / 1024:.1f} KiB)",
                "met": over <= 2048,
            }
        )
    imports = results.get("imports", {})
    if "trioweb" in imports and "starlette" in imports:
        trioweb, starlette = _median(imports["trioweb"]), _median(imports["starlette"])
        targets.append(
            {
                "target": "import time ≤ Starlette's",
                "measured": f"{trioweb:.1f} vs {starlette:.1f} ms",
                "met": trioweb <= starlette,
            }
        )
    return targets


def _section_inprocess(results: dict[str, Any], names: list[str]) -> str:
    data = results.get("inprocess")
    if not data:
        return ""
    header = ["case", *[LABELS[n] for n in names]]
    ratio_cols = ["bare", *[p for p in PEERS if p in names]]
    header += [f"trioweb ÷ {LABELS[p]}" for p in ratio_cols]
    rows = []
    for case_name, per in data["cases"].items():
        row = [CASES[case_name].label]
        for name in names:
            summary = per.get(name)
            row.append(f"{_fmt(_median(summary))} {_spread(summary)}" if summary else "–")
        trioweb = _median(per.get("trioweb"))
        row += [_ratio(trioweb, _median(per.get(p))) for p in ratio_cols]
        rows.append(row)
    errors = data.get("errors") or {}
    note = ""
    if errors:
        note = "\n\nContestants that answered a case wrongly were not timed on it: " + "; ".join(
            f"{case}: {', '.join(f'{n} ({why})' for n, why in per.items())}"
            for case, per in errors.items()
        )
    return (
        "### 1. In-process cost per request\n\n"
        f"CPU µs per request (median of {data['rounds']} interleaved batches of "
        f"{data['n_per_batch']} requests; ± is half the interquartile range over the median). "
        "Lower is better; ratios below 1 mean trioweb costs less.\n\n" + _table(header, rows) + note
    )


def _section_e2e(results: dict[str, Any], names: list[str]) -> str:
    data = results.get("e2e")
    if not data:
        return ""
    if "skipped" in data:
        return f"### 2. End to end\n\nSkipped: {data['skipped']}."
    rps_header = ["case", *[LABELS[n] for n in names]]
    ratio_cols = ["bare", *[p for p in PEERS if p in names]]
    rps_header += [f"trioweb ÷ {LABELS[p]}" for p in ratio_cols]
    rps_rows, lat_rows, cpu_rows = [], [], []
    for case_name, per in data["cases"].items():
        label = CASES[case_name].label
        row = [label]
        for name in names:
            summary = per.get(name, {}).get("rps")
            row.append(f"{_fmt(_median(summary), 0)} {_spread(summary)}")
        trioweb = _median(per.get("trioweb", {}).get("rps"))
        row += [_ratio(trioweb, _median(per.get(p, {}).get("rps"))) for p in ratio_cols]
        rps_rows.append(row)
        lat_rows.append(
            [label]
            + [
                f"{_fmt(_median(per.get(n, {}).get('p50_us')) / 1000, 2)} / "
                f"{_fmt(_median(per.get(n, {}).get('p99_us')) / 1000, 2)}"
                for n in names
            ]
        )
        cpu_t = _median(per.get("trioweb", {}).get("server_cpu_us"))
        cpu_rows.append(
            [label]
            + [_fmt(_median(per.get(n, {}).get("server_cpu_us")), 0) for n in names]
            + [_ratio(cpu_t, _median(per.get(p, {}).get("server_cpu_us"))) for p in ratio_cols]
        )
    rss = data.get("rss_after_load_mib", {})
    rss_line = ", ".join(f"{LABELS[n]} {_fmt(_median(rss.get(n)))} MiB" for n in names)
    return (
        "### 2. End to end on hypercorn's trio worker\n\n"
        f"wrk, one thread, {data['connections']} keep-alive connections, {data['duration_s']} s "
        f"per run, {data['rounds']} rounds; all servers stay up and each case's contestants run "
        "back to back in a shuffled order; the servers and wrk are pinned to different cores. Requests per second (higher is better):\n\n"
        + _table(rps_header, rps_rows)
        + "\n\nLatency p50 / p99 (ms):\n\n"
        + _table(["case", *[LABELS[n] for n in names]], lat_rows)
        + "\n\nServer CPU µs per request (the server process's user+system time over the "
        "requests served; steadier than req/s on a shared machine):\n\n"
        + _table(
            ["case", *[LABELS[n] for n in names], *[f"trioweb ÷ {LABELS[p]}" for p in ratio_cols]],
            cpu_rows,
        )
        + f"\n\nWorker RSS after the load: {rss_line}."
    )


def _section_streaming(results: dict[str, Any], names: list[str]) -> str:
    data = results.get("streaming")
    if not data:
        return ""
    rows = []
    for kind, label in (("stream", "1,000-chunk stream (chunks/s)"), ("sse", "SSE (events/s)")):
        per = data["chunks_per_s"][kind]
        rows.append([label, *[_fmt(_median(per.get(n)), 0) for n in names]])
    disconnect = data["disconnect_to_finally_ms"]
    for key, label in (("p50", "disconnect → finally p50 (ms)"), ("p99", "… p99 (ms)")):
        rows.append([label, *[_fmt(disconnect.get(n, {}).get(key, math.nan), 2) for n in names]])
    rows.append(
        [
            "… streams whose finally never ran",
            *[str(disconnect.get(n, {}).get("never", "–")) for n in names],
        ]
    )
    idle = data["idle_sse"]["bytes_per_connection"]
    rows.append(
        [f"idle SSE connection (KiB, {data['idle_sse']['connections']} open)"]
        + [_fmt(_median(idle.get(n)) / 1024, 1) for n in names]
    )
    rows.append(
        ["… over bare ASGI (KiB)"]
        + [_fmt((_median(idle.get(n)) - _median(idle.get("bare"))) / 1024, 1) for n in names]
    )
    return (
        "### 3. Streaming\n\n"
        "Chunks/s: one stream at a time, from the request to the last byte (median over "
        "repeats). Disconnect → finally: the client closes its socket after the first chunk; "
        "the time until the generator's `finally` runs in the server (both read the machine's "
        "monotonic clock), so it includes hypercorn noticing the close. Idle SSE: the server's "
        "RSS with N streams open (each has sent one event and waits), minus before, over N.\n\n"
        + _table(["", *[LABELS[n] for n in names]], rows)
    )


def _section_websocket(results: dict[str, Any], names: list[str]) -> str:
    data = results.get("websocket")
    if not data:
        return ""
    rows = [
        ["echo round-trips/s", *[_fmt(_median(data["echo_per_s"].get(n)), 0) for n in names]],
        [
            f"idle connection (KiB, {data['connections_idle']} open)",
            *[_fmt(_median(data["idle_bytes_per_connection"].get(n)) / 1024, 1) for n in names],
        ],
    ]
    skipped = "".join(f"\n\n{LABELS[n]}: skipped: {why}." for n, why in data["skipped"].items())
    return (
        "### 4. WebSockets\n\n"
        "Echo of a 21-byte text message over 8 connections with 4 messages in flight each; "
        "idle memory as for SSE.\n\n" + _table(["", *[LABELS[n] for n in names]], rows) + skipped
    )


def _section_imports(results: dict[str, Any], names: list[str]) -> str:
    data = results.get("imports")
    if not data:
        return ""
    rows = [
        [LABELS[n], f"`{data[n]['statement'] or '(nothing)'}`", _fmt(_median(data[n]), 1)]
        for n in names
        if n in data
    ]
    return (
        "### 5. Import time\n\n"
        "Milliseconds to import the framework in a fresh interpreter that has already imported "
        "`trio` and `hypercorn.trio` (median of the runs):\n\n"
        + _table(["contestant", "statement", "ms"], rows)
    )


def render_markdown(results: dict[str, Any], source: str, chart: str | None) -> str:
    names = [n for n in results["contestants"] if n in LABELS]
    meta = results["meta"]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v)
    targets = evaluate_targets(results)
    target_rows = [
        [t["target"], t["measured"], "met" if t["met"] else "**missed**"] for t in targets
    ]
    parts = [
        "# Performance",
        "",
        "<!-- generated by bench/report.py from a results file: do not edit by hand -->",
        "",
        "trioweb is measured side by side with a bare ASGI callable (the ceiling), Starlette, "
        "Litestar and Quart-Trio, all serving the same endpoints (`bench/apps/`) on trio and "
        "hypercorn's trio worker.",
        "",
        "## Running it",
        "",
        "```bash",
        "python bench/run.py            # full run: results + this page (10-15 min on 2 cores)",
        "python bench/run.py --quick    # a few minutes, results only",
        "python bench/run.py --only inprocess,imports --contestants bare,trioweb,starlette",
        "python bench/run.py --report bench/results/<file>.json   # rebuild this page",
        "```",
        "",
        "The first run creates `bench/.venv` and installs the peers there from "
        "`bench/requirements.txt` (trioweb editable); they never become dependencies of trioweb. "
        "Load comes from `wrk` (Debian's package; installed when missing and run as root) and "
        "from raw-socket clients in `bench/clients.py`. The test suite runs a smoke version of "
        "the in-process benchmark (`tests/bench/`).",
        "",
        f"## Results ({meta['date']})",
        "",
        f"From `{source}`. Machine: {meta['cpu']}, {meta['cores']} cores, "
        f"{meta['memory_gib']} GiB; Python {meta['python']}; {versions}. "
        f"Calibration loop (1M additions): {meta['calibration_loop_ms']} ms. Load average "
        f"{meta['loadavg_start'][0]:.2f} at the start, {meta.get('loadavg_end', [math.nan])[0]:.2f} "
        f"at the end{' (quick run)' if meta.get('quick') else ''}"
        f"{'; the tree had uncommitted changes' if meta.get('git', {}).get('dirty') else ''}.",
        "",
    ]
    if chart:
        parts += [f"![trioweb and its peers relative to a bare ASGI app]({chart})", ""]
    parts += ["### Targets (issue 6)", "", _table(["target", "measured", ""], target_rows), ""]
    for section in (
        _section_inprocess(results, names),
        _section_e2e(results, names),
        _section_streaming(results, names),
        _section_websocket(results, names),
        _section_imports(results, names),
    ):
        if section:
            parts += [section, ""]
    parts += [METHOD]
    return "\n".join(parts)


METHOD = """## How each contestant is written

Every contestant is written the way its users write it (`bench/apps/<name>.py`):

- **bare ASGI**: a dict of routes, msgspec for JSON and validation, and for streams a
  disconnect listener beside the sender: the least a correct app does.
- **trioweb** and **Litestar**: the same handler code (`@get`, `@post`, `Provide`,
  dataclass models, `Stream`, `ServerSentEvent`), differing only in imports.
- **Starlette** has no validation, dataclass serialization or dependency injection: those
  cases use msgspec (what trioweb uses inside) and plain function calls, so they measure the
  framework, not `json` against msgspec. Other responses are Starlette's own
  (`JSONResponse`, `StreamingResponse`).
- **Quart-Trio**: Quart's own JSON (which supports dataclasses), msgspec for validation
  (Quart has none without quart-schema), `response.timeout = None` on streams.

Notes on reading the figures:

- The machine is shared and noisy: contestants are interleaved in a shuffled order each
  round and every figure is a median; ± gives the spread. In-process figures are CPU time,
  which does not count the time the process sat descheduled.
- The in-process `receive` hands over the body, then reports `http.disconnect` only once the
  response is complete, as hypercorn does; `send` only looks at the messages.
- Disconnect → finally includes the time hypercorn takes to notice the closed socket and
  deliver `http.disconnect`; the bare app's figure is that floor.
- Memory per idle connection includes what hypercorn keeps per connection; the difference to
  the bare app is the framework's share.
"""


def _chart(results: dict[str, Any], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = [n for n in results["contestants"] if n != "bare"]
    colours = {
        "trioweb": "#2a7ab9",
        "starlette": "#7f7f7f",
        "litestar": "#e0a030",
        "quart_trio": "#a05fb0",
    }
    panels = []
    inprocess = results.get("inprocess", {}).get("cases")
    if inprocess:
        panels.append(
            ("in-process cost per request ÷ bare ASGI (lower is better)", inprocess, None)
        )
    e2e = results.get("e2e", {}).get("cases")
    if e2e:
        panels.append(("end-to-end requests/s ÷ bare ASGI (higher is better)", e2e, "rps"))
    if not panels:
        return False
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 4.2 * len(panels)), squeeze=False)
    for ax, (title, data, key) in zip(axes[:, 0], panels, strict=True):
        cases = list(data)
        width = 0.8 / len(names)
        for index, name in enumerate(names):
            values = []
            for case in cases:
                per = data[case]
                mine = per.get(name, {}).get(key) if key else per.get(name)
                base = per.get("bare", {}).get(key) if key else per.get("bare")
                values.append(_median(mine) / _median(base) if mine and base else math.nan)
            positions = [i + (index - (len(names) - 1) / 2) * width for i in range(len(cases))]
            ax.bar(positions, values, width, label=LABELS[name], color=colours.get(name))
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xticks(range(len(cases)))
        ax.set_xticklabels([CASES[c].label for c in cases], fontsize=8)
        ax.set_title(title, fontsize=10)
        if key is None:
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_report(results_path: Path) -> None:
    """Write the docs page (and its chart) for ``results_path``."""
    results = json.loads(Path(results_path).read_text(encoding="utf-8"))
    DOCS.mkdir(exist_ok=True)
    chart = CHART.name if _chart(results, CHART) else None
    source = Path(results_path).resolve()
    try:
        shown = str(source.relative_to(ROOT))
    except ValueError:
        shown = source.name
    PAGE.write_text(render_markdown(results, shown, chart), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}" + (f" and {CHART.relative_to(ROOT)}" if chart else ""))
