from datetime import datetime

import pytest
from live.forcesite import COUNTY_PAGE, SAFETY, SAFETY_PAGE, UNDATED_PAGE
from live.localsite import PAGES, news_page

from bot.live.extract import NotAnArticle, extract_page

ROMANCE_HTML = (PAGES / "staffs-romance-fraud.html").read_text(encoding="utf-8")
FURNITURE = [
    "Cookies",
    "cookies",
    "Skip to",
    "Home",
    "Share",
    "Related news",
    "Man charged",
    "Accessibility",
    "Privacy",
    "All rights",
    "Report",
    "Search this website",
]


def test_body_is_the_article_text_only() -> None:
    page = extract_page(ROMANCE_HTML, "http://127.0.0.1/news/romance-fraud/")
    paragraphs = page.body.split("\n\n")
    assert (
        paragraphs[0]
        == "People looking for love online are being urged to be wary of fraudsters ahead of Valentine’s Day."
    )
    assert paragraphs[-1].startswith("If you think you have been a victim of romance fraud, report it to Action Fraud")
    assert "\n\n".join(paragraphs[4:6]) == (
        "Signs that you may be talking to a romance fraudster include:\n\n"
        " * they ask you to move the conversation off the dating site\n"
        " * they always have a reason not to meet or turn on their camera\n"
        " * they ask for money, gift cards or cryptocurrency"
    )
    for furniture in FURNITURE:
        assert furniture not in page.body, furniture
    assert "Posted on" not in page.body and "Romance fraud warning ahead" not in page.body  # date line and h1


def test_header_fields_from_canonical_and_og() -> None:
    page = extract_page(ROMANCE_HTML, "http://127.0.0.1/news/romance-fraud/")
    assert page.url.startswith("https://www.staffordshire.police.uk/news/staffordshire/news/2024/february/")
    assert page.title == "Romance fraud warning ahead of Valentine's Day"
    assert page.published == datetime(2024, 2, 12, 10, 15)
    assert page.og["description"].startswith("People looking for love online")
    assert page.og["image"].endswith("&w=600&h=300&scale=both")
    assert page.og["type"] == "website" and page.og["locale"] == "en_GB"


def test_dates_come_from_json_ld_or_time_and_are_uk_local() -> None:
    assert extract_page(SAFETY_PAGE, None).published == datetime(2020, 4, 8, 16, 40)  # 15:40 UTC is 16:40 BST
    assert extract_page(COUNTY_PAGE, None).published == datetime(2023, 11, 20, 9, 5)  # GMT in November
    with pytest.raises(NotAnArticle, match="no publish date"):
        extract_page(UNDATED_PAGE, None)


def test_canonical_falls_back_to_og_url_then_the_address() -> None:
    page = news_page(
        canonical=None, title="T", published_meta="2024-01-01T10:00:00Z", paragraphs=["Some article text here."]
    )
    assert (
        extract_page(page, "https://www.kent.police.uk/news/x/?utm=1#top").url
        == "https://www.kent.police.uk/news/x/?utm=1"
    )
    with_og = page.replace("<title>", f'<meta property="og:url" content="{SAFETY}"><title>')
    assert extract_page(with_og, "https://elsewhere.example/").url == SAFETY
    with pytest.raises(NotAnArticle, match="no canonical link"):
        extract_page(page, None)


def test_a_page_without_text_or_title_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle, match="no article text"):
        extract_page(news_page(canonical=SAFETY, title="Empty", published_meta="2024-01-01", paragraphs=[]), None)
    with pytest.raises(NotAnArticle, match="no og:title or <title>"):
        extract_page("<html><body><p>" + "Words " * 50 + "</p></body></html>", SAFETY)


def test_xhtml_with_an_xml_declaration() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + COUNTY_PAGE
    assert extract_page(page, None).body == extract_page(COUNTY_PAGE, None).body
