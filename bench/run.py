"""trioweb's benchmark against a bare ASGI app, Starlette, Litestar and Quart-Trio.

    python bench/run.py            # full run (about 10-15 minutes on 2 cores)
    python bench/run.py --quick    # a couple of minutes; results only, docs untouched
    python bench/run.py --report bench/results/<file>.json   # regenerate the docs page

The first run creates ``bench/.venv`` and installs the peers there (bench/requirements.txt)
with trioweb itself editable; the peers are never dependencies of trioweb. Results go to
``bench/results/<timestamp>.json``; a full run also regenerates ``docs/performance.md``
and ``docs/performance.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV = BENCH / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
REQUIREMENTS = BENCH / "requirements.txt"
MARKER = VENV / ".bench-requirements.sha256"
RESULTS = BENCH / "results"

PHASES = ("inprocess", "e2e", "streaming", "websocket", "imports")


# -- the bench environment ----------------------------------------------------------------


def _requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes() + str(ROOT).encode()).hexdigest()


def ensure_venv() -> Path:
    """Create ``bench/.venv`` and install the peers there (again when requirements change)."""
    if not VENV_PYTHON.exists():
        print(f"creating {VENV} ...", flush=True)
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    digest = _requirements_digest()
    if not MARKER.exists() or MARKER.read_text().strip() != digest:
        print("installing the peers into the bench venv ...", flush=True)
        subprocess.run(
            [
                str(VENV_PYTHON),
                "-m",
                "pip",
                "install",
                "-q",
                "-r",
                str(REQUIREMENTS),
                "-e",
                str(ROOT),
            ],
            check=True,
        )
        MARKER.write_text(digest)
    return VENV_PYTHON


def _in_bench_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


# -- what the machine is ------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _calibration_ms() -> float:
    """A fixed pure-Python loop, so that readers can compare this machine with theirs."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best * 1000


def machine_info() -> dict[str, Any]:
    from importlib import metadata

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            line.split()[1]
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    versions = {}
    for dist in (
        "trioweb",
        "hypercorn",
        "trio",
        "anyio",
        "msgspec",
        "starlette",
        "litestar",
        "quart",
        "quart-trio",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    git = {}
    if shutil.which("git"):

        def _git(*args: str) -> str:
            done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
            return done.stdout.strip()

        git = {"commit": _git("rev-parse", "HEAD"), "dirty": bool(_git("status", "--porcelain"))}
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "loadavg_start": list(os.getloadavg()),
        "calibration_loop_ms": round(_calibration_ms(), 1),
        "versions": versions,
        "git": git,
        "wrk": shutil.which("wrk"),
    }


# -- the phases ---------------------------------------------------------------------------


def _log(text: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {text}", flush=True)


def phase_inprocess(contestants: list[str], quick: bool) -> dict[str, Any]:
    from bench.server import SERVER_CPU

    n, rounds = (300, 3) if quick else (2000, 7)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [
        sys.executable,
        "-m",
        "bench.inprocess",
        "--contestants",
        ",".join(contestants),
        "-n",
        str(n),
        "--rounds",
        str(rounds),
        "--out",
        str(out),
    ]
    if shutil.which("taskset") and len(os.sched_getaffinity(0)) > 1:
        command = ["taskset", "-c", str(SERVER_CPU), *command]
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return result


def _server_cpu_seconds(pid: int) -> float:
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase_e2e(contestants: list[str], quick: bool, rng: random.Random) -> dict[str, Any]:
    from bench.e2e import ensure_wrk, run_wrk
    from bench.inprocess import CASES
    from bench.server import Server
    from bench.stats import summarize

    wrk = ensure_wrk()
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    rounds, duration, warmup, connections = (1, 1, 0, 8) if quick else (4, 2, 1, 8)
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        case: {name: [] for name in contestants} for case in CASES
    }
    rss: dict[str, list[float]] = {name: [] for name in contestants}
    # every server stays up for the whole phase (idle ones cost nothing), so that each case's
    # contestants run back to back: on a shared machine the load drifts within seconds
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(Server(name)) for name in contestants}
        for server in servers.values() if warmup else ():
            for case in CASES:
                run_wrk(server.port, case, duration=warmup, connections=connections, wrk=wrk)
        for round_index in range(rounds):
            for case in CASES:
                order = list(contestants)
                rng.shuffle(order)
                for name in order:
                    server = servers[name]
                    cpu_before = _server_cpu_seconds(server.pid)
                    result = run_wrk(
                        server.port, case, duration=duration, connections=connections, wrk=wrk
                    )
                    cpu = _server_cpu_seconds(server.pid) - cpu_before
                    result["server_cpu_us"] = cpu / max(result["requests"], 1) * 1e6
                    runs[case][name].append(result)
            _log(f"e2e round {round_index + 1}/{rounds} done")
        for name, server in servers.items():
            rss[name].append(server.rss() / 2**20)
    keys = ("rps", "p50_us", "p99_us", "server_cpu_us")
    return {
        "rounds": rounds,
        "duration_s": duration,
        "connections": connections,
        "cases": {
            case: {
                name: {key: summarize([r[key] for r in results]) for key in keys}
                | {"errors": sum(r["errors"] + r["non2xx"] for r in results)}
                for name, results in per_case.items()
            }
            for case, per_case in runs.items()
        },
        "rss_after_load_mib": {name: summarize(values) for name, values in rss.items()},
    }


def phase_streaming(contestants: list[str], quick: bool, rng: random.Random) -> dict[str, Any]:
    from bench.server import Server
    from bench.stats import percentile, summarize
    from bench.streams import chunks_per_second, disconnect_to_finally, idle_sse_memory

    rounds, repeats, disconnects, idle = (1, 2, 30, 300) if quick else (2, 5, 100, 2000)
    stream: dict[str, list[float]] = {name: [] for name in contestants}
    sse: dict[str, list[float]] = {name: [] for name in contestants}
    latencies: dict[str, list[float]] = {name: [] for name in contestants}
    never: dict[str, int] = dict.fromkeys(contestants, 0)
    memory: dict[str, list[dict[str, Any]]] = {name: [] for name in contestants}
    for round_index in range(rounds):
        order = list(contestants)
        rng.shuffle(order)
        for name in order:
            with Server(name) as server:
                stream[name] += chunks_per_second(server.port, "stream", repeats)
                sse[name] += chunks_per_second(server.port, "sse", repeats)
                found = disconnect_to_finally(server.port, disconnects, f"{name}{round_index}")
                latencies[name] += found["latencies_ms"]
                never[name] += found["never"]
            with Server(name) as server:
                memory[name].append(idle_sse_memory(server, idle))
            _log(f"streaming round {round_index + 1}/{rounds}: {name} done")
    return {
        "rounds": rounds,
        "chunks_per_s": {
            "stream": {name: summarize(values) for name, values in stream.items()},
            "sse": {name: summarize(values) for name, values in sse.items()},
        },
        "disconnect_to_finally_ms": {
            name: {
                "n": len(values),
                "p50": percentile(values, 50),
                "p99": percentile(values, 99),
                "max": max(values, default=float("nan")),
                "never": never[name],
            }
            for name, values in latencies.items()
        },
        "idle_sse": {
            "connections": idle,
            "bytes_per_connection": {
                name: summarize([m["bytes_per_connection"] for m in runs])
                for name, runs in memory.items()
            },
            "runs": memory,
        },
    }


def phase_websocket(contestants: list[str], quick: bool, rng: random.Random) -> dict[str, Any]:
    from bench.apps import load_module
    from bench.server import Server
    from bench.stats import summarize
    from bench.streams import idle_websocket_memory, websocket_echo

    rounds, repeats, duration, idle = (1, 1, 1.0, 300) if quick else (2, 2, 2.0, 2000)
    skipped: dict[str, str] = {}
    live = []
    for name in contestants:
        reason = getattr(load_module(name), "WEBSOCKET_SKIPPED", None)
        if reason:
            skipped[name] = reason
        else:
            live.append(name)
    echo: dict[str, list[float]] = {name: [] for name in live}
    memory: dict[str, list[float]] = {name: [] for name in live}
    for round_index in range(rounds):
        order = list(live)
        rng.shuffle(order)
        for name in order:
            with Server(name) as server:
                echo[name] += websocket_echo(server.port, duration, repeats)
            with Server(name) as server:
                memory[name].append(idle_websocket_memory(server, idle)["bytes_per_connection"])
            _log(f"websocket round {round_index + 1}/{rounds}: {name} done")
    return {
        "rounds": rounds,
        "connections_idle": idle,
        "echo_per_s": {name: summarize(values) for name, values in echo.items()},
        "idle_bytes_per_connection": {name: summarize(values) for name, values in memory.items()},
        "skipped": skipped,
    }


def phase_imports(contestants: list[str], quick: bool) -> dict[str, Any]:
    from bench.imports import import_times

    return import_times(contestants, 3 if quick else 15)


# -- main ---------------------------------------------------------------------------------


def _raise_fd_limit() -> None:
    """The idle-memory phases hold 2,000 sockets: more than a 1,024 soft limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def run(args: argparse.Namespace) -> Path:
    from bench.apps import CONTESTANTS
    from bench.server import CLIENT_CPU, pin_current_process

    contestants = (
        [c for c in args.contestants.split(",") if c] if args.contestants else list(CONTESTANTS)
    )
    phases = args.only.split(",") if args.only else list(PHASES)
    pinned = pin_current_process(CLIENT_CPU)
    _raise_fd_limit()
    rng = random.Random(args.seed)
    RESULTS.mkdir(exist_ok=True)
    started = time.monotonic()
    results: dict[str, Any] = {
        "meta": machine_info() | {"quick": args.quick, "client_pinned": pinned},
        "contestants": contestants,
    }
    _log(f"contestants: {', '.join(contestants)}; phases: {', '.join(phases)}")
    for phase in phases:
        _log(f"phase {phase} ...")
        if phase == "inprocess":
            results[phase] = phase_inprocess(contestants, args.quick)
        elif phase == "e2e":
            results[phase] = phase_e2e(contestants, args.quick, rng)
        elif phase == "streaming":
            results[phase] = phase_streaming(contestants, args.quick, rng)
        elif phase == "websocket":
            results[phase] = phase_websocket(contestants, args.quick, rng)
        elif phase == "imports":
            results[phase] = phase_imports(contestants, args.quick)
        else:
            raise SystemExit(f"unknown phase {phase!r}; choose from {', '.join(PHASES)}")
    results["meta"]["loadavg_end"] = list(os.getloadavg())
    results["meta"]["duration_s"] = round(time.monotonic() - started, 1)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    _log(f"results: {path.relative_to(ROOT)} ({results['meta']['duration_s']} s)")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark trioweb against a bare ASGI app, Starlette, Litestar, Quart-Trio."
    )
    parser.add_argument("--quick", action="store_true", help="small N, one round (minutes)")
    parser.add_argument("--only", help=f"comma-separated phases ({', '.join(PHASES)})")
    parser.add_argument("--contestants", help="comma-separated (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="order of the interleaving")
    parser.add_argument("--report", type=Path, help="only regenerate the docs from a results file")
    parser.add_argument("--docs", action="store_true", help="regenerate the docs after --quick")
    parser.add_argument("--no-docs", action="store_true", help="do not regenerate the docs")
    args = parser.parse_args()

    if not _in_bench_venv():
        python = ensure_venv()
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = str(ROOT)
    from bench.report import write_report

    if args.report is not None:
        write_report(args.report)
        return
    path = run(args)
    if not args.no_docs and (not args.quick or args.docs) and not args.only:
        write_report(path)


if __name__ == "__main__":
    main()
