"""The in-process benchmark still runs (tiny N, no timing assertions), so bench/ never rots.

Only the bare ASGI app and trioweb are used: the peers live in bench/.venv, never here.
"""

from __future__ import annotations

import pytest

from bench.inprocess import CASES, check_case, open_lifespan, run_inprocess, time_batch


async def test_every_case_answers_correctly_on_bare_and_trioweb() -> None:
    result = await run_inprocess(["bare", "trioweb"], list(CASES), n=5, rounds=1)
    assert result["errors"] == {}
    for case_name in CASES:
        for contestant in ("bare", "trioweb"):
            summary = result["cases"][case_name][contestant]
            assert summary["n"] == 1
            assert summary["median"] > 0


@pytest.mark.parametrize("case_name", list(CASES))
async def test_trioweb_case_is_checked_and_timed(case_name: str) -> None:
    from bench.apps import load_app

    app = load_app("trioweb")
    async with open_lifespan(app):
        assert await check_case(app, CASES[case_name]) is None
        cpu, wall = await time_batch(app, CASES[case_name], 3)
    assert cpu >= 0 and wall > 0
