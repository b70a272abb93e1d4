"""`parallax demo`, as `make demo` runs it: the bundled corpus in, its stories out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.cli import main

pytestmark = pytest.mark.slow


def test_demo_builds_a_store_and_shows_its_stories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    shown = capsys.readouterr()
    assert "ingested 37, duplicates 0, failed 0" in shown.out
    assert f"parallax serve --db {db}" in shown.err

    assert main(["stories", "--db", str(db), "--json"]) == 0
    stories = json.loads(capsys.readouterr().out)["stories"]
    assert len(stories) >= 5
    # The table shows every story.
    assert all(s["id"] in shown.out for s in stories)

    # Again: the store already holds every article.
    assert main(["demo", "--db", str(db), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["ingested"], counts["duplicates"], counts["failed"]) == (0, 37, 0)
