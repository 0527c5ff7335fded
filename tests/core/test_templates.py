"""Templates: a page's title holds text only. (A form once sat inside a page's title block:
every test passed and no supervisor could record a session.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "src" / "bryggan").rglob("*.html"))
TITLE = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_a_title_block_holds_no_markup(template):
    for title in TITLE.findall(template.read_text()):
        assert "<" not in title and "\n" not in title.strip(), f"{template}: {title[:200]!r}"


def test_the_check_finds_the_templates():
    assert len(TEMPLATES) > 50
