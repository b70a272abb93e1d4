"""Audit a summary against its sources: which sentences they support, and why not.

from parallax.verify import verify_batch
for audit in verify_batch([(summary, [source_text, ...])]):
    ...
"""

from __future__ import annotations

from parallax.verify.verifier import AlignmentVerifier, Verifier, verify_batch

__all__ = ["AlignmentVerifier", "Verifier", "verify_batch"]
