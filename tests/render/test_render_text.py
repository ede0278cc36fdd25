"""render_text: the terminal form of a diagnosis."""

from __future__ import annotations

import doctest

import kerashape_magic.render._common as common
import kerashape_magic.render.text as text_module
from kerashape_magic.core.types import Diagnosis, Fix
from kerashape_magic.render.text import render_text


def _table_line(out: str, axis: str) -> str:
    (line,) = [ln for ln in out.splitlines() if ln[4:].startswith(axis + " ")]
    return line


def test_seed001_shows_sentence_table_fixes_and_badges(seed001):
    out = render_text(seed001)
    assert out.splitlines()[0] == seed001.summary
    assert "(100, 24, 1)" in out
    for axis in ("batch_size", "timesteps", "features"):
        assert axis in out
    assert _table_line(out, "batch_size").split()[1:] == ["100", "any"]
    assert _table_line(out, "features").split() == ["!", "features", "1", "3", "<-", "mismatch"]
    assert not _table_line(out, "timesteps").lstrip().startswith("!")
    assert "1. [verified] Rebuild the model for 1 feature" in out
    assert "2. [not verified] Copy the feature 3 times" in out
    assert out.index("[verified]") < out.index("[not verified]")
    assert "      model = kerashape.rebuild(model, input_shape=(24, 1))" in out.splitlines()
    assert "after Apply, `model` takes (None, 24, 1)" in out
    assert "after Apply, `X_train` becomes (100, 24, 3)" in out
    assert "why: Your data has 1 feature per timestep" in out
    assert "note: y_train is (100, 1)" in out
    assert "could not inspect: validation_data=(make_val(), y_val)" in out


def test_missing_axis_prints_a_dash_and_keeps_code_indentation(cases):
    out = render_text(cases["missing_axis"])
    assert _table_line(out, "features").split() == ["!", "features", "\u2014", "1", "<-", "missing"]
    lines = out.splitlines()
    start = lines.index("      if X_train.ndim == 2:")
    assert lines[start + 1] == "          X_train = X_train[..., None]"
    code = "\n".join(ln[6:] for ln in lines[start : start + 2])
    assert code == cases["missing_axis"].fixes[1].code


def test_flattened_and_loses_data(cases):
    out = render_text(cases["flattened"])
    assert "(144000, 3)" in out and "1440" in out
    assert "X_train = X_train.reshape(100, 1440, 3)" in out
    assert "time-major" in out
    assert "[drops data]" in render_text(cases["truncate"])
    assert "[drops data]" not in out


def test_no_ansi_and_no_array_contents(cases):
    for d in cases.values():
        out = render_text(d)
        assert "\x1b" not in out
        assert "0.1234567" not in out and "0.5555555" not in out


def test_array_dumps_in_any_text_field_are_not_printed():
    dump = "array([[0.1234567, 0.7654321], [0.5555555, 0.4444444]])"
    d = Diagnosis(
        "feature_mismatch",
        "dense",
        (2, 2),
        (None, 3),
        1,
        "Dense 'dense' got " + dump,
        fixes=(Fix("reshape", "Try", "X = X", "because " + dump),),
        notes=(dump,),
        uninspected=(dump,),
    )
    out = render_text(d)
    assert "0.1234567" not in out and "0.4444444" not in out
    assert "array(\u2026)" in out


def test_without_rows_the_shapes_are_printed():
    d = Diagnosis("rank_mismatch", None, (3, 4, 5), (None, 7), None, "Rank differs.")
    out = render_text(d)
    assert "received: (3, 4, 5)" in out and "expected: (None, 7)" in out
    assert "Fixes" not in out


def test_doctests():
    for module in (common, text_module):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_candidates_tried_and_ruled_out_are_listed_with_their_reason():
    from kerashape_magic.core.types import Diagnosis
    from kerashape_magic.render.html import render_html

    d = Diagnosis(
        "spatial_mismatch",
        "conv2d",
        (8, 32, 32, 1),
        (None, 28, 28, 1),
        1,
        "Images of 32x32, not 28x28.",
        ruled_out=(("Resize the images in X to 28x28", "it would throw data away to fit the declaration"),),
    )
    text = render_text(d)
    assert (
        "Tried and ruled out:" in text and "Resize the images in X to 28x28: it would throw data away" in text
    )
    html = render_html(d, cube=False)
    assert "Tried and ruled out" in html and "it would throw data away to fit the declaration" in html
