"""Fetch police news pages, feeds and sitemaps into the articles folder (`python -m bot fetch`)."""
