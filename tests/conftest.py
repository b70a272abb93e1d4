"""Shared fixtures: an in-memory store, the CLI runner, and ../shared data."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from parallax.store.sqlite import SQLiteStore

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared seeds and benchmark data sit beside the repo")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of the four seed documents."""
    return shared_path("seeds")


@pytest.fixture
def seed_files(seeds_dir: Path) -> list[Path]:
    """The seed files in order 000..003."""
    return sorted(seeds_dir.glob("*.txt"))


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    """A fresh in-memory store."""
    with SQLiteStore(":memory:") as s:
        yield s


@dataclass
class CliResult:
    """What a CLI run printed and returned."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        """stdout as one JSON object."""
        return json.loads(self.stdout)

    def json_lines(self) -> list[dict]:
        """stdout as JSON Lines."""
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Run ``parallax`` in-process and capture its output."""
    from parallax.cli import main

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run
