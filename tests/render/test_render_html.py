"""render_html: self-contained HTML, escaped, with the cube inline."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

from kerashape_magic.core.types import AxisRow, Diagnosis, Fix
from kerashape_magic.render.html import render_html

_VOID = {"img", "br", "hr", "meta", "input", "wbr"}


class _Checker(HTMLParser):
    """Collects tags and checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list = []
        self.tags: list = []
        self.errors: list = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> with open %s" % (tag, self.stack))
        else:
            self.stack.pop()


def _parse(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, checker.stack
    return checker


def test_seed001_content(seed001):
    page = render_html(seed001)
    tags = _parse(page).tags
    assert "<code" in page and "X_train</code>" in page  # `X_train` in the sentence
    for axis in ("batch_size", "timesteps", "features"):
        assert ">%s</td>" % axis in page
    assert ">any</td>" in page
    assert "<pre" in page and "model = kerashape.rebuild(model, input_shape=(24, 1))</pre>" in page
    assert "&#10003; verified" in page and "not verified" in page
    assert "Your data has 1 feature per timestep" in page
    assert "Drops data" not in page
    details = [a for t, a in tags if t == "details"]
    assert details and "open" not in details[0]
    assert "not tried: repeating one feature does not recover the other two" in page
    assert "lstm: (None, 32)" in page
    assert "Could not inspect" in page


def test_mismatched_cells_are_marked_not_only_coloured(cases):
    page = render_html(cases["seed001"], cube=False)
    rows = re.findall(r'<tr data-status="(\w+)">(.*?)</tr>', page)
    assert [status for status, _ in rows] == ["ok", "ok", "mismatch"]
    bad = rows[-1][1]
    assert "font-weight:700" in bad and "rgba(232,89,12" in bad and "&#9888; mismatch" in bad
    assert "font-weight:700" not in rows[0][1]
    missing = render_html(cases["missing_axis"], cube=False)
    assert '<tr data-status="missing">' in missing and ">\u2014</td>" in missing


def test_cube_is_two_inline_pngs_with_alt_text(seed001):
    imgs = [a for t, a in _parse(render_html(seed001)).tags if t == "img"]
    assert len(imgs) == 2  # received, expected: they wrap one under the other in narrow windows
    for img in imgs:
        src = img["src"]
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        assert img["width"] == "288" and "max-width:100%" in img["style"]
        assert "features" in img["alt"]
    assert "(100, 24, 1)" in imgs[0]["alt"] and "X_train" in imgs[0]["alt"]
    assert "(None, 24, 3)" in imgs[1]["alt"] and "LSTM 'lstm'" in imgs[1]["alt"]
    assert "<img" not in render_html(seed001, cube=False)


def test_a_side_of_unknown_shape_has_no_picture(seed001):
    import dataclasses

    d = dataclasses.replace(seed001, expected_shape=None, rows=())
    page = render_html(d)
    imgs = [a for t, a in _parse(page).tags if t == "img"]
    assert len(imgs) == 1 and "(100, 24, 1)" in imgs[0]["alt"]
    assert "expected a shape not known here" in page


def test_code_wraps_inside_its_own_box(seed001):
    page = render_html(seed001)
    pres = re.findall(r'<pre style="([^"]*)"', page)
    assert pres and all("white-space:pre-wrap" in p and "overflow-wrap:anywhere" in p for p in pres)
    assert "white-space:pre;" not in page


def test_self_contained_no_script_no_external_assets(cases):
    for d in cases.values():
        page = render_html(d)
        _parse(page)
        assert "<script" not in page.lower()
        assert not re.search(r"\son\w+=", page)
        assert "http://" not in page and "https://" not in page
        assert "<link" not in page and "<style" not in page
        assert "background:#fff" not in page.replace(" ", "").lower()


def test_everything_is_escaped():
    d = Diagnosis(
        "feature_mismatch",
        "<xss>layer</xss>",
        (2, 3),
        (None, 4),
        1,
        "bad <script>alert(1)</script> & more",
        rows=(AxisRow("<xss>x</xss>", 3, 4, "mismatch"),),
        fixes=(
            Fix(
                "reshape",
                "<img src=x>",
                'X = "<xss>" if a < b else X',
                "<xss>why</xss>",
                verification="<xss>",
            ),
        ),
        details=("<xss>",),
        message="<xss>",
        notes=("<xss>",),
        uninspected=("<xss>",),
        shape_path=(("<xss>", (None, 4)),),
    )
    page = render_html(d, cube=False)
    tags = [t for t, _ in _parse(page).tags]
    assert "script" not in tags and "xss" not in tags and "img" not in tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "X = &quot;&lt;xss&gt;&quot; if a &lt; b else X</pre>" in page


def test_loses_data_warning(cases):
    assert "Drops data" in render_html(cases["truncate"], cube=False)
    assert "Drops data" in render_html(cases["dense"], cube=False)
    assert "Drops data" not in render_html(cases["flattened"], cube=False)


def test_no_array_contents(seed001):
    assert "0.1234567" in seed001.message  # the fixture carries an array dump
    page = render_html(seed001)
    assert "Input 0 of layer &quot;lstm&quot; is incompatible" in page
    assert "0.1234567" not in page and "0.5555555" not in page


def test_a_cube_that_cannot_be_drawn_is_left_out():
    shape = (2, "three")  # a size matplotlib cannot draw
    d = Diagnosis("feature_mismatch", "dense", shape, (None, 4), 1, "Broken sizes.")  # type: ignore[arg-type]
    page = render_html(d)
    _parse(page)
    assert "<img" not in page and "Broken sizes." in page
