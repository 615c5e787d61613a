"""Per-server settings, feedback and use, kept in one SQLite database."""
