"""Differential test: run the cases through Litestar and through trioweb, print every difference.

Usage: ``/work/venv/bin/python tools/litestar_diff/compare.py [CASE_PREFIX ...]``

Litestar is only ever imported by the reference interpreter (``LSREF``, default
``/tmp/lsref/bin/python``), in a subprocess; trioweb never depends on it. Compared: the
status, the body bytes, and every response header except ``date`` and ``server`` (as a
multiset: order is reported only for ``set-cookie``). Exit status 1 when anything differs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
LSREF = os.environ.get("LSREF", "/tmp/lsref/bin/python")
IGNORED_HEADERS = frozenset({"date", "server"})


def _run(python: str, framework: str, prefixes: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [python, os.path.join(HERE, "run.py"), framework, out.name, *prefixes],
            check=True,
            cwd=HERE,
        )
        with open(out.name) as fh:
            return json.load(fh)  # type: ignore[no-any-return]


_EXPIRES = re.compile(r"expires=[^;]+GMT")


def _normal(name: str, value: str) -> str:
    # cookie expiry dates are computed from the clock: compare that one is there, not when
    return _EXPIRES.sub("expires=<date>", value) if name == "set-cookie" else value


def _headers(answer: dict[str, Any]) -> Counter[tuple[str, str]]:
    return Counter(
        (k, _normal(k, v)) for k, v in answer.get("headers", []) if k not in IGNORED_HEADERS
    )


def _diff_answer(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("error", "status", "body"):
        if ref.get(key) != got.get(key):
            out.append(
                f"  {key}: litestar={ref.get(key)!r}\n  {' ' * len(key)}  trioweb ={got.get(key)!r}"
            )
    ref_h, got_h = _headers(ref), _headers(got)
    if ref_h != got_h:
        missing = sorted((ref_h - got_h).elements())
        extra = sorted((got_h - ref_h).elements())
        out.append(f"  headers: missing={missing} extra={extra}")
    ref_cookies = [_normal(k, v) for k, v in ref.get("headers", []) if k == "set-cookie"]
    got_cookies = [_normal(k, v) for k, v in got.get("headers", []) if k == "set-cookie"]
    if ref_h == got_h and ref_cookies != got_cookies:
        out.append(f"  set-cookie order: litestar={ref_cookies} trioweb={got_cookies}")
    return out


def main() -> int:
    prefixes = sys.argv[1:]
    reference = _run(LSREF, "litestar", prefixes)
    ours = _run(sys.executable, "trioweb", prefixes)
    differing = 0
    for name in sorted(reference):
        ref, got = reference[name], ours.get(name, {})
        lines: list[str] = []
        if ref.get("build_error") != got.get("build_error"):
            lines.append(
                f"  build: litestar={ref.get('build_error')!r}\n         trioweb ={got.get('build_error')!r}"
            )
        for r_answer, g_answer in zip(ref.get("answers", []), got.get("answers", []), strict=False):
            problems = _diff_answer(r_answer, g_answer)
            if problems:
                lines.append(f" {r_answer.get('request')}")
                lines.extend(problems)
                if "tb" in g_answer:
                    lines.append("  trioweb traceback: " + g_answer["tb"])
        if lines:
            differing += 1
            print(f"DIFF {name}")
            print("\n".join(lines))
    print(f"{len(reference)} cases, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
