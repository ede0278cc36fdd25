"""core/rules/batch.py: a stateful model's declared batch size against the batches the call feeds.

Measured with Keras 3.15 (a model declared ``Input(batch_shape=(4, 5, 3))`` with a stateful LSTM):
``predict`` of 8 samples without ``batch_size`` fails (one batch of 8) and with ``batch_size=4``
runs; 10 samples fail with ``batch_size=4`` too (4 + 4 + 2); a copy declared for ``batch_size=None``
is refused ("batch size must be static"); a copy declared for 10 runs ``predict`` of 10 unchanged.
"""

from __future__ import annotations

import pytest

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.rules import batch
from kerashape_magic.core.rules.context import NO_MESSAGE
from kerashape_magic.core.types import CallFact, DataFact, Facts, LayerFact, ModelFact


def facts(n, declared=4, source="out = model.predict(X, verbose=0)", trained=False, stateful=True):
    method = source.split("model.")[1].split("(")[0] if "model." in source else "__call__"
    m = ModelFact(
        "model",
        "Sequential",
        ((declared, 5, 3),),
        declared=True,
        built=True,
        output_shape=(declared, 1),
        loss="mean_squared_error",
        trained=trained,
        layers=(
            LayerFact(
                "lstm", "LSTM", (declared, 5, 3), (declared, 2), (("units", 2), ("stateful", stateful))
            ),
            LayerFact("dense", "Dense", (declared, 2), (declared, 1), (("units", 1),)),
        ),
    )
    x = DataFact("X", "X", "x", "ndarray", (n, 5, 3), "float32")
    y = DataFact("Y", "Y", "y", "ndarray", (n, 1), "float32")
    return Facts(call=CallFact(method, source), model=m, data=(x, y))


def sizes(d):
    return [r.args["batch_size"] for r in d.requests if r.move == "rebuild_batch_size"]


TABLE = [
    # (n, call source, trained) -> rebuild sizes requested (never None), a note says
    (1, "out = model.predict(X)", True, [1], None),  # tests/cases/stateful_predict_one_sample.py
    (8, "out = model.predict(X)", False, [8], "pass `batch_size=4`"),
    (8, "out = model.evaluate(X, Y)", True, [], "pass `batch_size=4`"),  # trained: states across 4 rows
    (10, "out = model.predict(X)", False, [10], "batch size 2 (the largest divisor of 10 up to 4)"),
    (10, "out = model.predict(X)", True, [], "only whole batches of 4"),
    (10, "out = model.predict(X, batch_size=4)", False, [], "batch size 2"),  # 4 + 4 + 2: no one size
    (40, "out = model.predict(X)", False, [], "pass `batch_size=4`"),  # 32 + 8
    (64, "out = model.predict(X)", False, [32], "pass `batch_size=4`"),  # 32 + 32
    (10, "model.fit(X, Y)", False, [10], "batch size 2"),
    (10, "model.fit(X, Y)", True, [], "only whole batches of 4"),
    (10, "out = model(X)", False, [10], None),  # one batch whatever its size: no batch_size to pass
]


@pytest.mark.parametrize("n, source, trained, expected, note", TABLE)
def test_what_the_call_feeds_decides(n, source, trained, expected, note):
    d = batch.stateful_rule(_ctx(facts(n, source=source, trained=trained)))
    assert d is not None and d.kind == "batch_size_mismatch"
    assert sizes(d) == expected
    assert note is None or any(note in x for x in d.notes), d.notes
    assert any("Trim or pad" in title for title, _ in d.ruled_out)  # never offered: drops or adds data
    if trained and not expected:
        assert n < 4 or any("trained" in why for _, why in d.ruled_out)


@pytest.mark.parametrize(
    "n, source",
    [(8, "out = model.predict(X, batch_size=4)"), (4, "out = model.predict(X)"), (4, "out = model(X)")],
)
def test_whole_batches_of_the_declared_size_are_not_reported(n, source):
    assert batch.rule(_ctx(facts(n, source=source))) is None


def test_an_unknown_batch_size_judges_whole_batches_only():
    assert batch.rule(_ctx(facts(8, source="out = model.predict(X, batch_size=bs)"))) is None
    d = batch.rule(_ctx(facts(2, source="out = model.predict(X, batch_size=bs)")))
    assert d is not None and sizes(d) == [2]


def test_the_stateful_rule_comes_before_the_label_rule():
    # the fixed batch size fixes the output's too: Keras 3.15's fit of 10 samples fails in the loss
    # ("Incompatible shapes" at compile_loss), which the label rule would read as labels against output
    f = facts(10, source="model.fit(X, Y)")
    d = diagnose(None, f, mode="check")
    assert d is not None and d.kind == "batch_size_mismatch" and d.fixes
    assert batch.stateful_rule(_ctx(facts(10, stateful=False))) is None  # a declared batch alone: later


def _ctx(f):
    from kerashape_magic.core.rules.context import Context

    return Context(NO_MESSAGE, f, "error")
