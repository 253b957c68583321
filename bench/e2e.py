"""End to end through hypercorn's trio worker: wrk on one core, the server on the other.

wrk reports requests/s and its latency percentiles through a Lua ``done`` hook, one line
of JSON, so nothing depends on its human-readable output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.apps._shared import ORDER_BYTES
from bench.inprocess import CASES
from bench.server import CLIENT_CPU

__all__ = ("ensure_wrk", "run_wrk")

_DONE = """
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %f, "rps": %f, "p50_us": %f, "p90_us": %f, '
    .. '"p99_us": %f, "max_us": %f, "errors": %d, "non2xx": %d}\\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status))
end
"""


def ensure_wrk() -> str | None:
    """The path of wrk, installing Debian's package when we are root and it is missing."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(command, check=False, capture_output=True, timeout=600)
    return shutil.which("wrk")


def _script(case_name: str, directory: Path) -> Path:
    case = CASES[case_name]
    lines = []
    if case.method != "GET":
        body = ORDER_BYTES.decode()
        lines += [
            f'wrk.method = "{case.method}"',
            f"wrk.body = [==[{body}]==]",
            'wrk.headers["Content-Type"] = "application/json"',
        ]
    path = directory / f"{case_name}.lua"
    path.write_text("\n".join(lines) + _DONE, encoding="utf-8")
    return path


def run_wrk(
    port: int, case_name: str, *, duration: float, connections: int, wrk: str = "wrk"
) -> dict[str, Any]:
    """Load ``case_name`` for ``duration`` seconds; rps and latency percentiles (µs)."""
    case = CASES[case_name]
    url = f"http://127.0.0.1:{port}{case.path}" + (f"?{case.query.decode()}" if case.query else "")
    with tempfile.TemporaryDirectory() as tmp:
        script = _script(case_name, Path(tmp))
        command = [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{max(duration, 1):.0f}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ]
        if shutil.which("taskset") and len(os.sched_getaffinity(0)) > 1:
            command = ["taskset", "-c", str(CLIENT_CPU), *command]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    for line in completed.stdout.splitlines():
        if line.startswith("WRKJSON "):
            result: dict[str, Any] = json.loads(line[len("WRKJSON ") :])
            return result
    raise RuntimeError(f"wrk failed: {completed.stdout[-500:]} {completed.stderr[-500:]}")
