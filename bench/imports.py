"""Import time of each framework on top of hypercorn + trio, in fresh interpreters.

Each sample is one new process that first imports ``trio`` and ``hypercorn.trio`` (what the
server needs anyway), then times the import of the framework alone. Contestants are
interleaved and every sample is a new process, so caches of one do not help another
(the bytecode caches are warmed once before timing).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from typing import Any

from bench.server import ROOT
from bench.stats import summarize

__all__ = ("IMPORTS", "import_times")

IMPORTS: dict[str, str] = {
    "bare": "",
    "trioweb": "import trioweb",
    "starlette": (
        "import starlette.applications, starlette.routing, starlette.responses, starlette.requests"
    ),
    "litestar": "import litestar",
    "quart_trio": "import quart_trio",
}

_PROGRAM = """
import time
import trio, hypercorn.trio, hypercorn.config
start = time.perf_counter()
{statement}
print(time.perf_counter() - start)
"""


def _sample(python: str, statement: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    completed = subprocess.run(
        [python, "-c", _PROGRAM.format(statement=statement)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT / "bench" / "results",
        env=env,
        timeout=120,
    )
    return float(completed.stdout.strip().splitlines()[-1])


def import_times(
    contestants: list[str], repeats: int, python: str = sys.executable, seed: int = 0
) -> dict[str, Any]:
    """Milliseconds to import each framework after hypercorn + trio (median of ``repeats``)."""
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {name: [] for name in contestants}
    for name in contestants:
        _sample(python, IMPORTS[name])  # writes the bytecode caches
    for _ in range(repeats):
        order = list(contestants)
        rng.shuffle(order)
        for name in order:
            samples[name].append(_sample(python, IMPORTS[name]) * 1000)
    return {
        name: {**summarize(values), "samples": values, "statement": IMPORTS[name]}
        for name, values in samples.items()
    }
