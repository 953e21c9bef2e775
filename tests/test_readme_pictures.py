"""The README's pictures: every one it shows is in docs/screenshots/, and every one there is shown."""
from __future__ import annotations

import re

from .conftest import ROOT

PICTURES = ROOT / "docs" / "screenshots"


def shown() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"!\[[^\]]+\]\(docs/screenshots/([^)]+\.png)\)", text))


def test_every_picture_the_readme_shows_exists_and_every_one_made_is_shown():
    made = {path.name for path in PICTURES.glob("*.png")}
    assert shown() - made == set(), "pictures the README shows that `make screenshots` did not make"
    assert made - shown() == set(), "pictures in docs/screenshots/ the README does not show"


def test_each_listing_page_has_a_picture():
    assert {"claims.png", "organisations.png", "places.png", "documents.png", "map.png",
            "source-rating.png"} <= shown()
