"""Fetch police news pages, feeds and sitemaps into the articles folder (`python -m bot fetch`)."""

STATUSES = ("new", "updated", "unchanged", "skipped", "failed")  # what can become of a page
