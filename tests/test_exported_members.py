"""The public surface stays curated: every exported name exists, is public and sorted."""

from __future__ import annotations

import parallax


def test_all_names_exist_and_are_sorted() -> None:
    assert parallax.__all__ == sorted(parallax.__all__)
    for name in parallax.__all__:
        assert hasattr(parallax, name), name


def test_exported_members_belong_to_parallax() -> None:
    for name in parallax.__all__:
        member = getattr(parallax, name)
        assert member.__module__.startswith("parallax."), name
        assert not name.startswith("_"), name
