"""The package's house rules: imports run one way between layers, no module imports itself round a cycle,
and schemes change the world only through levers, payments and named events."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from pcsim import config as configs
import pcsim
from pcsim.model.engine import Simulation, World

PACKAGE = Path(pcsim.__file__).resolve().parent
# Lower layers first: a module may import from its own layer or a lower one, never a higher one.
LAYERS = (("pcsim.config", "pcsim.inputs"), ("pcsim.model",), ("pcsim.schemes",), ("pcsim.experiments",),
          ("pcsim.figures", "pcsim.viz"), ("pcsim.cli", "pcsim.docs", "pcsim"))


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


MODULES = module_names()


def imports_of(name: str, path: Path) -> set[str]:
    """Every pcsim module ``name`` imports, at the top or inside a function, with the packages that
    importing it initialises (except the importer's own packages, which are initialised already)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            if not target.startswith("pcsim"):
                continue
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                if prefix in MODULES and not (name == prefix or name.startswith(prefix + ".")):
                    found.add(prefix)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def layer_of(name: str) -> int:
    for rank, roots in enumerate(LAYERS):
        for root in roots:
            if name == root or (root != "pcsim" and name.startswith(root + ".")):
                return rank
    raise AssertionError(f"{name} belongs to no layer: add it to LAYERS")


def test_every_module_belongs_to_a_layer_and_imports_only_its_own_or_lower_layers():
    upward = [f"{name} ({layer_of(name)}) imports {target} ({layer_of(target)})"
              for name, targets in GRAPH.items() for target in targets if layer_of(target) > layer_of(name)]
    assert not upward, "imports against the layers:\n" + "\n".join(sorted(upward))


def find_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every import cycle a depth-first walk of ``graph`` meets, as ``a -> b -> a``."""
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_no_import_cycle_anywhere_counting_imports_inside_functions():
    assert not find_cycles(GRAPH), "import cycles:\n" + "\n".join(find_cycles(GRAPH))


def test_the_checks_see_imports_inside_functions_and_cycles_through_them():
    assert "pcsim.experiments.runner" in GRAPH["pcsim.cli.run"]      # imported inside the command's handler
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_top_level_reads_as_a_table_of_contents():
    entries = sorted(p.name for p in PACKAGE.iterdir() if not p.name.startswith((".", "__pycache__"))
                     and p.name != "py.typed")
    assert len(entries) <= 11, entries
    assert {"model", "schemes", "experiments", "figures", "viz", "inputs", "cli", "config.py"} <= set(entries)


def scheme_modules() -> list[Path]:
    return sorted((PACKAGE / "schemes").glob("*.py"))


def test_no_scheme_assigns_the_state_of_the_world():
    """A scheme may assign its own attributes and the month's levers, never the world's."""
    offences = []
    for path in scheme_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, (ast.Attribute, ast.Subscript)):
                        root = leaf.value
                        while isinstance(root, (ast.Attribute, ast.Subscript)):
                            root = root.value
                        chain = ast.unparse(leaf)
                        if (isinstance(root, ast.Name) and root.id in ("world", "sim", "simulation")
                                or chain.startswith("self.world.")):
                            offences.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not offences, "\n".join(offences)


def test_the_world_a_scheme_sees_refuses_assignment_and_takes_events():
    sim = Simulation(configs.load(None, ["run.months=1"]))
    world = World(sim)
    with pytest.raises(AttributeError, match="emits an event"):
        world.enablers = np.ones_like(sim.enablers)
    from pcsim.model.events import GroupingsSelected
    chosen = np.zeros_like(sim.selected)
    chosen[:, 0] = True
    world.emit(GroupingsSelected(chosen))
    assert sim.selected[:, 0].all() and not sim.selected[:, 1:].any()
    with pytest.raises(TypeError, match="not an event"):
        world.emit("enablers for everyone")


def test_schemes_draw_only_from_their_own_stream_inside_their_hooks():
    """No scheme keeps random numbers between hooks (``self._z = ...``) or reaches the engine's streams."""
    for path in scheme_modules():
        source = path.read_text()
        assert ".streams" not in source and "world.draw" not in source, path.name
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                call = ast.unparse(node.value.func)
                stored = [ast.unparse(t) for t in node.targets]
                assert not (call == "self.draw" and any(s.startswith("self.") for s in stored)), \
                    f"{path.name}:{node.lineno} keeps its draws on itself"


def test_an_installed_wheel_finds_its_configs_and_specs(tmp_path):
    """Configs, experiment specs and figure specs ship inside the package and are found from anywhere."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(PACKAGE.parents[1])], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("pcsim-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("pcsim/inputs/configs/ace.toml", "pcsim/inputs/experiments/sa_contrast.toml",
                    "pcsim/inputs/experiments/figures/fig1_qof_history.toml"):
        assert shipped in names
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = ("import pcsim, pcsim.config as c, pcsim.experiments.patterns as p, pcsim.figures as f;"
              "assert 'site' in pcsim.__file__, pcsim.__file__;"
              "c.load('configs/ace.toml'); c.load('ace');"
              "assert (p.CONFIGS / 'ace_rollout_directive.toml').is_file();"
              "from pathlib import Path; print(len(f.load_specs(Path('experiments/figures'), True)))")
    run = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.strip()) >= 7
