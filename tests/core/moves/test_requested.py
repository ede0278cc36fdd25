"""core/moves: a rule's MoveRequests become fixes in the rule's order (pure, no framework)."""

import pytest

from kerashape_magic.core.moves import REQUESTED, propose
from kerashape_magic.core.types import DataFact, Diagnosis, Facts, LayerFact, ModelFact, MoveRequest

MODEL = ModelFact(
    "model",
    "Sequential",
    ((None, 8),),
    declared=True,
    built=True,
    output_shape=(None, 10),
    loss="categorical_crossentropy",
    layers=(LayerFact("dense", "Dense", (None, 8), (None, 10), (("units", 10), ("activation", "softmax"))),),
)
Y = DataFact("y_train", "y_train", "y", "ndarray", (100,), "int64", labels=("class_indices", 10))
FACTS = Facts(model=MODEL, data=(Y,))


def diag(*requests):
    return Diagnosis(
        "label_mismatch", None, (100,), (None, 10), None, "s", rule="r", requests=tuple(requests)
    )


def test_requests_become_fixes_in_the_rules_order_each_named_by_its_move():
    loss = MoveRequest(
        "change_loss", {"kind": "sparse_loss", "loss": "sparse_categorical_crossentropy", "rationale": "r"}
    )
    onehot = MoveRequest("to_categorical", {"y": Y, "num_classes": 10, "result": (100, 10), "rationale": "r"})
    for order in ((loss, onehot), (onehot, loss)):
        d = propose(diag(*order), FACTS)
        assert [f.move for f in d.fixes] == [r.move for r in order]
        assert [f.kind for f in d.fixes] == [
            {"change_loss": "sparse_loss"}.get(r.move, r.move) for r in order
        ]


def test_a_request_the_objects_do_not_allow_gives_no_fix():
    expression = DataFact(None, "y[:, 0]", "y", "expression", None)
    d = propose(
        diag(MoveRequest("argmax_labels", {"y": expression, "result": (100,), "rationale": "r"})), FACTS
    )
    assert d.fixes == ()


def test_an_unknown_move_is_an_error_not_a_silent_nothing():
    with pytest.raises(KeyError):
        propose(diag(MoveRequest("no_such_move")), FACTS)


def test_the_table_holds_label_layer_and_sequence_moves():
    assert {"change_loss", "to_categorical", "edit_layer", "rebuild_declared_input", "pad_sequences"} <= set(
        REQUESTED
    )
