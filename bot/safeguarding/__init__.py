"""Safeguarding: the reporting directory, the router that picks services, channels named in articles."""
