"""Outlets are data: declared records (name, domains, feeds, leaning, country).

A user supplies them in a TOML or YAML file of ``[[outlet]]`` tables (see the
demo corpus's ``outlets.toml`` for the documented format). Parallax shows a
leaning only where such a file gives one; it never guesses.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.errors import InputError
from parallax.extract.base import domain_of

LEANINGS = ("left", "center-left", "center", "center-right", "right")


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet as declared by the user."""

    name: str
    domains: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    leaning: str | None = None
    country: str | None = None
    kind: str | None = None


def _outlet(record: Any, where: str) -> Outlet:
    if not isinstance(record, dict) or not isinstance(record.get("name"), str):
        raise InputError(f"{where}: every outlet needs a string 'name'")
    leaning = record.get("leaning")
    if leaning is not None and leaning not in LEANINGS:
        raise InputError(
            f"{where}: outlet {record['name']!r} has leaning {leaning!r}; "
            f"use one of {', '.join(LEANINGS)} or leave it out"
        )
    domains = record.get("domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise InputError(f"{where}: outlet {record['name']!r}: 'domains' must be a list of names")
    return Outlet(
        name=record["name"],
        domains=tuple(d.lower().removeprefix("www.") for d in domains),
        feeds=tuple(str(f) for f in record.get("feeds", [])),
        leaning=leaning,
        country=record.get("country"),
        kind=record.get("kind"),
    )


class OutletRegistry:
    """Looks outlets up by URL host or by name."""

    def __init__(self, outlets: Iterable[Outlet] = ()) -> None:
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self._by_domain = {d: o for o in self.outlets for d in o.domains}
        self._by_name = {o.name.casefold(): o for o in self.outlets}

    @classmethod
    def load(cls, path: str | Path) -> OutletRegistry:
        """Read a TOML or YAML outlets file; errors name the file and the bad entry."""
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read outlets file {path}: {exc.strerror}") from exc
        try:
            if path.suffix in {".yaml", ".yml"}:
                import yaml

                data = yaml.safe_load(raw) or {}
            else:
                data = tomllib.loads(raw)
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            raise InputError(f"outlets file {path} is not valid: {exc}") from exc
        records = data.get("outlet", data.get("outlets", [])) if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise InputError(f"{path}: expected a list of [[outlet]] tables")
        return cls(_outlet(r, f"{path} outlet #{i + 1}") for i, r in enumerate(records))

    def for_url(self, url: str | None) -> Outlet | None:
        """The outlet publishing under the URL's host or a parent domain of it."""
        host = domain_of(url)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            _, _, host = host.partition(".")
        return None

    def by_name(self, name: str) -> Outlet | None:
        """The outlet with this display name (case-insensitive)."""
        return self._by_name.get(name.casefold())

    def merged(self, others: Sequence[Outlet]) -> OutletRegistry:
        """A registry holding these outlets and ``others`` (later ones win by name)."""
        by_name = {o.name: o for o in self.outlets} | {o.name: o for o in others}
        return OutletRegistry(by_name.values())
