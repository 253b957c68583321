"""The lifecycle package is the kernel: public modules import it, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

import trioweb

PACKAGE = Path(trioweb.__file__).parent
ALLOWED_FROM_KERNEL = {"trioweb.types", "trioweb.exceptions", "trioweb._lifecycle"}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    nodes: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        nodes.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return nodes


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_lifecycle_imports_no_public_module() -> None:
    offenders = []
    for path in sorted((PACKAGE / "_lifecycle").rglob("*.py")):
        for module in _imports(path):
            if module.startswith("trioweb") and not any(
                module == allowed or module.startswith(allowed + ".")
                for allowed in ALLOWED_FROM_KERNEL
            ):
                offenders.append(f"{path.name} imports {module}")
    assert offenders == []


def test_leaf_modules_import_nothing_above_them() -> None:
    leaves = ["status_codes.py", "enums.py", "types", "exceptions"]
    above = (
        "trioweb.app",
        "trioweb.handlers",
        "trioweb.response",
        "trioweb.connection",
        "trioweb._lifecycle",
    )
    offenders = []
    for leaf in leaves:
        target = PACKAGE / leaf
        paths = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for path in paths:
            offenders += [f"{path} imports {m}" for m in _imports(path) if m.startswith(above)]
    assert offenders == []
