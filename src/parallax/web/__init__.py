"""The web UI: server-rendered pages, their templates and static files, and what serves them.

``parallax.api.create_app`` assembles the app; this package holds the parts it
is built from: per-thread store access and the caches (``access``), the
security middleware (``security``), presentation helpers for the templates
(``present``), a story's analysis arranged for its page (``story_view``) and
the HTML routes (``pages``).
"""
