"""The single place where exception groups from internal nurseries are unwrapped."""

from __future__ import annotations

import trio

__all__ = ("unwrap_group",)


def unwrap_group(exc: BaseException) -> BaseException:
    """Return the one meaningful error inside ``exc``.

    Groups are flattened; ``trio.Cancelled`` leaves are dropped when anything else is
    present (a cancellation that travelled alongside a real error is a consequence of it).
    When several real errors remain, the group itself is returned so nothing is lost.
    """
    if not isinstance(exc, BaseExceptionGroup):
        return exc
    leaves = list(_leaves(exc))
    real = [leaf for leaf in leaves if not isinstance(leaf, trio.Cancelled)]
    if len(real) == 1:
        return real[0]
    if not real:
        return leaves[0]
    return exc


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        out: list[BaseException] = []
        for sub in exc.exceptions:
            out.extend(_leaves(sub))
        return out
    return [exc]
