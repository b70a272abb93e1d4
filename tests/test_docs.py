"""Every CLI command and the two setup commands are documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

from parallax.cli import COMMANDS, build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    documented = set(re.findall(r"`parallax (\w+)", README))
    assert set(COMMANDS) <= documented, set(COMMANDS) - documented


def test_every_command_has_a_parser_and_help() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert set(subparsers.choices) == set(COMMANDS)
    for name, sub in subparsers.choices.items():
        assert sub.description, name


def test_setup_commands_are_in_the_readme() -> None:
    assert "make demo" in README and "make test" in README
