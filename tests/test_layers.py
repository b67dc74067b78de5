"""The data layer's shape: stages without cycles or upward imports, one owner of the published build, and pages
that use only the public face."""

from __future__ import annotations

import ast
from pathlib import Path

import ks_data
from tests.conftest import ROOT

STAGES = {"stats": 1, "table": 2, "sources": 3, "publish": 4, "views": 5}  # common modules (fmt, vocab, …): 0
ENTRY = {"ks_data", "ks_data.cli", "ks_data.__main__"}  # the public face and the command line see everything


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ks_data":
            found |= ({f"ks_data.{a.name}" for a in node.names} if node.module == "ks_data" else {node.module})
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "ks_data"}
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in (ROOT / "ks_data").rglob("*.py")}


def stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.get(parts[1], 0) if len(parts) > 1 else 0


def test_no_module_imports_a_later_stage():
    upward = [(m, d) for m, deps in graph().items() if m not in ENTRY for d in deps if stage(d) > stage(m)]
    assert upward == []


def test_the_data_layer_has_no_import_cycle():
    deps = graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for d in deps.get(module, ()):
            if d not in deps:
                continue
            assert state.get(d) != 1, " → ".join([*path, d])
            if d not in state:
                visit(d, [*path, d])
        state[module] = 2

    for module in deps:
        if module not in state and module not in ENTRY:
            visit(module, [module])


def test_the_published_build_is_wired_in_one_place():
    callers = [module_name(p) for p in [*(ROOT / "ks_data").rglob("*.py"), *(ROOT / "ks_ui").glob("*.py"),
                                        *(ROOT / "scripts").glob("*.py"), *(ROOT / "pages").glob("*.py")]
               if "protect_province(" in p.read_text(encoding="utf-8")]
    assert sorted(callers) == ["ks_data.publish.national", "ks_data.publish.publication"]  # defined, called


def test_pages_and_the_streamlit_helpers_use_only_the_public_face():
    public = {"ks_data", "ks_data.fmt", "ks_data.vocab"} | {f"ks_data.{n}" for n in ks_data.__all__}
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "ks_ui").glob("*.py"), ROOT / "app.py"]:
        assert imports(path) <= public, (path.name, imports(path) - public)
    for name in ks_data.__all__:  # every name of the face resolves
        assert getattr(ks_data, name) is not None
