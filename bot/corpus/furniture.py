"""Lines of a saved news page that are page furniture, not article text.

Recognised by their shape, not by phrases from any one site: sign-offs (`ISSUED: ...`, `ENDS`),
navigation, "Read more" and "Related" links, share and follow lines, newsletter prompts,
picture credits, copyright lines and bylines.
"""

from __future__ import annotations

import re

MAX_FURNITURE_CHARS = 160  # a longer line is text, whatever it starts with

_NETWORKS = r"facebook|twitter|x|whatsapp|linkedin|email|e-mail|print|copy link|messenger|reddit|tweet"
_FURNITURE_WORDS = (
    r"updated news post|news post|issued:.*|ends\.?|-?\s*ends\s*-?|notes? (?:to|for) editors:?|"
    r"back to (?:top|news)|print this page|(?:read|see) (?:more|also|next|the full story)\b.*|"
    r"(?:more on this story|related(?: articles| stories| news| content| links)?)(?::.*)?|"
    rf"share(?: this(?: page| article| story| post)?| on| via)?:?(?:[\s|/·,]+(?:{_NETWORKS}))*|"
    rf"(?:{_NETWORKS})(?:[\s|/·,]+(?:{_NETWORKS}))*|(?:follow|like) us on\b.*|"
    r".*\b(?:sign up|subscribe)\b.*\b(?:newsletters?|alerts|bulletins?|updates|inbox)\b.*|"
    r".*\bnewsletters?\b.*\b(?:sign up|subscribe)\b.*|.*straight to your inbox.*|"
    r"(?:image|images|photo|picture|pictures|credit|copyright|source|tags)\s*(?::|-|–).*|"
    r"\(?(?:©|\(c\)).*|copyright (?:© ?)?\d{4}.*"
)
_BOILERPLATE = re.compile(rf"^(?:{_FURNITURE_WORDS})$", re.IGNORECASE)
# A byline: "By Jane Smith", "Written by J. Smith, Crime Reporter", "Posted on 3 May 2024".
_BYLINE = re.compile(
    r"^(?:(?:[Ww]ritten |[Pp]osted |[Rr]eported )?[Bb]y (?:[A-Z][\w.'’-]*\s?){1,4}(?:,[^.!?]{0,60})?|"
    r"(?:[Pp]osted|[Pp]ublished|[Uu]pdated|[Ll]ast updated)(?: on)?:? [^.!?]{0,40}\d[^.!?]{0,40})$"
)


def is_furniture(line: str) -> bool:
    """Whether a line (white space already collapsed) is page furniture."""
    return len(line) <= MAX_FURNITURE_CHARS and bool(_BOILERPLATE.match(line) or _BYLINE.match(line))
