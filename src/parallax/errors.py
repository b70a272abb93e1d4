"""The one exception tree of Parallax.

Every error a user can see says what went wrong, with which input, and what
to do about it.

    ParallaxError
    ├── InputError              a document or source cannot be used
    │   ├── UnsupportedInput    unknown file type or source kind
    │   ├── EmptyDocument       nothing to extract
    │   ├── TooLarge            over a byte, depth or decompression limit
    │   └── ParseError          a feed, sitemap, WARC or JSONL line is malformed
    ├── FetchError              a URL could not be fetched
    │   ├── BlockedAddress      a non-public address, refused before connecting
    │   ├── RobotsDisallowed    robots.txt forbids the URL
    │   └── HTTPStatusError     the server answered with an error status
    ├── StoreError              the database cannot be opened or migrated
    └── NotFound                no story or article with that id
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base of every error Parallax raises on purpose."""


class InputError(ParallaxError):
    """A document or source cannot be used."""


class UnsupportedInput(InputError):
    """The file type or source kind is not one Parallax reads."""


class EmptyDocument(InputError):
    """The document holds no text to extract."""


class TooLarge(InputError):
    """The document is over a byte, depth or decompression limit."""


class ParseError(InputError):
    """A feed, sitemap, WARC or JSONL line is malformed."""


class FetchError(ParallaxError):
    """A URL could not be fetched."""


class BlockedAddress(FetchError):
    """The host resolves to a non-public address and private hosts are not allowed."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt forbids fetching the URL."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class StoreError(ParallaxError):
    """The database cannot be opened, read or migrated."""


class NotFound(ParallaxError):
    """No story or article has that id."""
