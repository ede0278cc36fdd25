"""Contracts the architecture promises (DESIGN.md, "Architecture" and "The fix search").

Pure: no framework needed. Each test fails when someone adds a message family without an
owner, a rule id twice, a kind outside the vocabulary, a move without a verifier, or an
import that points the wrong way.
"""

import ast
import pathlib
import sys

import pytest

from kerashape_magic.core import messages
from kerashape_magic.core.moves import MOVES, REQUESTED
from kerashape_magic.core.rank import COST
from kerashape_magic.core.rules import OWNERS, RULES
from kerashape_magic.core.types import FIX_KINDS, KINDS

CORE = pathlib.Path(__file__).resolve().parents[2] / "kerashape_magic" / "core"
PACKAGE = CORE.parent


def _families():
    """Every family the parser can return: each row's, and those a row's finish step sets."""
    import re

    source = pathlib.Path(messages.__file__).read_text()
    return {row[0] for row in messages._RULES} | set(re.findall(r'family"?\]? ?=\s*"(\w+)"', source))


def test_every_message_family_has_an_owner_that_exists():
    rule_ids = {rid for rid, _ in RULES}
    missing = sorted(_families() - set(OWNERS))
    assert not missing, "message families no rule owns: %s" % missing
    assert set(OWNERS.values()) <= rule_ids
    assert not set(OWNERS) - _families(), "owners for families the parser no longer has"


def test_rule_ids_are_unique_snake_case():
    ids = [rid for rid, _ in RULES]
    assert len(ids) == len(set(ids))
    assert all(rid.replace("_", "").isalpha() and rid == rid.lower() for rid in ids)


def _literals(tree, keyword):
    """String literals passed as ``keyword=`` or as the first argument of Fix(...)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if (
                    kw.arg == keyword
                    and isinstance(kw.value, ast.Constant)
                    and isinstance(kw.value.value, str)
                ):
                    yield kw.value.value, node.lineno


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_every_kind_written_in_the_core_is_in_the_vocabulary(path):
    tree = ast.parse(path.read_text())
    for value, line in _literals(tree, "kind"):
        assert value in KINDS or value in FIX_KINDS, "%s:%d kind %r" % (path.name, line, value)
    for node in ast.walk(tree):  # Fix("reshape", ...) and data_fix(facts, "reshape", ...)
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            fname = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            pos = {"Fix": 0, "data_fix": 1}.get(fname)
            if pos is not None and len(node.args) > pos and isinstance(node.args[pos], ast.Constant):
                assert node.args[pos].value in FIX_KINDS, "%s:%d %r" % (
                    path.name,
                    node.lineno,
                    node.args[pos].value,
                )


def test_every_move_is_ranked_and_verified_by_its_own_code():
    import kerashape_magic.verify as verify

    for move in MOVES:
        assert move.__name__ in COST, "move %s has no cost in core/rank.py" % move.__name__
        assert move.__doc__ and move.__doc__.strip(), move.__name__
    # a move's fix is verified by running fix.code (verify.run_fix_code); the structured
    # fallback exists only for targets that are not plain names
    assert callable(verify.run_fix_code)


#: What a rule may import from core/moves: nothing (names are checked with core.types.is_identifier).
RULE_MAY_IMPORT_FROM_MOVES: set = set()


def _moves_module(node):
    """True when an ``import`` / ``from ... import`` inside core/rules reaches core/moves."""
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level == 2:  # from ..moves(.x) import ...
            return module == "moves" or module.startswith("moves.")
        if node.level == 0:
            return ".core.moves" in "." + module
        return False
    return any(".core.moves" in "." + a.name for a in node.names)


@pytest.mark.parametrize("path", sorted((CORE / "rules").glob("*.py")), ids=lambda p: p.name)
def test_no_rule_writes_fix_code(path):
    """Rules say what disagrees and which moves to try (MoveRequest); the fix builders live in
    core/moves. A rule that imports a builder or constructs a Fix fails here."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and _moves_module(node):
            names = {a.name for a in node.names}
            assert isinstance(node, ast.ImportFrom) and names <= RULE_MAY_IMPORT_FROM_MOVES, (
                "%s:%d imports %s from core/moves: request a move instead" % (path.name, node.lineno, names)
            )
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("types"):
            assert "Fix" not in {a.name for a in node.names}, "%s:%d imports Fix" % (path.name, node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            fname = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            assert fname not in ("Fix", "data_fix"), "%s:%d builds a Fix" % (path.name, node.lineno)


def _requested_names(path):
    """(move name, line) of every ``MoveRequest("name", ...)`` in a rule module."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "MoveRequest":
            first = (
                node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "move"), None)
            )
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                "%s:%d: a MoveRequest names its move with a literal" % (path.name, node.lineno)
            )
            yield first.value, node.lineno


def _verify_own_verbs():
    """The ``op[0]`` verbs ``verify.verify_fix`` handles itself (``verb == "..."`` / ``verb in (...)``)."""
    import kerashape_magic.verify as verify

    tree = ast.parse(pathlib.Path(verify.__file__).read_text())
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "verify_fix")
    verbs = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "verb":
            for comp in node.comparators:
                for c in ast.walk(comp):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str):
                        verbs.add(c.value)
    return verbs


def test_every_requested_move_exists_and_has_a_verifier():
    import kerashape_magic.verify as verify
    import kerashape_magic.verify_internal  # noqa: F401  (registers its verifiers)
    import kerashape_magic.verify_labels  # noqa: F401

    asked = {}
    for path in sorted((CORE / "rules").glob("*.py")):
        for name, line in _requested_names(path):
            asked.setdefault(name, "%s:%d" % (path.name, line))
    assert asked, "no rule requests a move: the AST walk is broken"
    missing = {n: where for n, where in asked.items() if n not in REQUESTED}
    assert not missing, "requested moves with no entry in core.moves.REQUESTED: %s" % missing
    own = _verify_own_verbs()
    assert {"rebuild_input", "padded_batch"} <= own, own  # the AST walk finds verify's own branches
    for name, spec in REQUESTED.items():
        assert spec.build.__doc__ and spec.build.__doc__.strip(), name
        assert name not in COST, "%s: a requested move's name must not be a ranked data move's" % name
        assert spec.verifier == "code" or spec.verifier in verify.VERIFIERS or spec.verifier in own, (
            "move %s: no verifier for %r" % (name, spec.verifier)
        )
        assert not (spec.structured and spec.verifier == "code"), name


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_the_core_imports_only_the_standard_library_and_itself(path):
    for module, level in _imports(path):
        if level:
            continue
        assert module.split(".")[0] in sys.stdlib_module_names, "%s imports %s" % (path.name, module)


@pytest.mark.parametrize(
    "path",
    sorted((CORE / "rules").glob("*.py")) + sorted((CORE / "moves").glob("*.py")),
    ids=lambda p: str(p.relative_to(CORE)),
)
def test_no_rule_or_move_imports_diagnose_or_anything_above_the_core(path):
    for module, level in _imports(path):
        assert not module.endswith("diagnose"), "%s imports %s" % (path.name, module)
        assert not (level >= 3), "%s reaches above the core: %s" % (path.name, module)
        assert module.split(".")[-1] not in ("verify", "facts", "render", "actions", "pipeline"), path.name


def test_no_rule_reads_the_message_with_getattr():
    for path in sorted((CORE / "rules").glob("*.py")):
        assert "getattr(parsed" not in path.read_text(), path.name


def test_every_kind_name_is_unique_and_keeps_designs_names():
    for name in (
        "missing_axis",
        "flattened_input",
        "feature_mismatch",
        "timestep_mismatch",
        "spatial_mismatch",
        "axis_order",
        "rank_mismatch",
        "label_mismatch",
        "cardinality_mismatch",
        "ragged_sequences",
        "reshape_size",
        "batch_size_mismatch",
        "output_structure",
        "dtype_mismatch",
    ):
        assert name in KINDS
    assert len(KINDS) == len(set(KINDS)) and len(FIX_KINDS) == len(set(FIX_KINDS))
