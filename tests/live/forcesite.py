"""The fixture site: a force's news section with one of every case `fetch` must handle."""

from __future__ import annotations

from dataclasses import dataclass

from live.localsite import PAGES, Site, atom, news_page, rss, sitemap

ROMANCE = "https://www.staffordshire.police.uk/news/staffordshire/news/2024/february/romance-fraud-warning-ahead-of-valentines-day/"
SAFETY = (
    "https://www.westmercia.police.uk/news/west-mercia/news/2020/april/keeping-children-safe-online-during-lockdown/"
)
COUNTY = "https://www.btp.police.uk/news/btp/news/england/county-lines-operation-at-stations/"
SCOTLAND = "https://www.scotland.police.uk/what-s-happening/news/2024/march/winter-driving-advice/"

SAFETY_PAGE = news_page(
    canonical=SAFETY,
    title="Keeping children safe online during lockdown",
    force="West Mercia Police",
    json_ld_date="2020-04-08T15:40:00+00:00",
    description="Advice for parents & carers on keeping children safe online.",
    paragraphs=[
        "With children spending more time online during lockdown, West Mercia Police is urging parents and carers to talk to them about staying safe on the web.",
        "Children worried about the way someone has been communicating with them online can make a report to CEOP through its Safety Centre at www.ceop.police.uk/safety-centre.",
        "Parents can help by following a few simple steps:",
    ],
    bullets=[
        "know which apps and games your child uses",
        "keep devices in shared family spaces",
        "talk about who they speak to online",
    ],
)
COUNTY_PAGE = news_page(
    canonical=COUNTY,
    title="County lines operation at stations",
    force="British Transport Police",
    time_datetime="2023-11-20T09:05:00Z",
    paragraphs=[
        "Officers from British Transport Police carried out a week of action against county lines drug dealing at railway stations across the network.",
        "Anyone with information about county lines exploitation can text 61016 or call 0800 40 50 40, quoting Operation Defender.",
    ],
)
BUSY_PAGE = news_page(
    canonical=SCOTLAND,
    title="Winter driving advice",
    force="Police Scotland",
    published_meta="2024-03-01T08:00:00Z",
    paragraphs=[
        "Drivers are being reminded to check the forecast and clear ice from every window before setting off this winter."
    ],
)
UNDATED_PAGE = news_page(
    canonical="https://www.kent.police.uk/news/kent/news/about-our-neighbourhood-teams/",
    title="About our neighbourhood teams",
    force="Kent Police",
    paragraphs=["Neighbourhood teams work with local communities to tackle the issues that matter most to them."],
)
NOT_POLICE_PAGE = news_page(
    canonical="https://www.example-news.co.uk/local/police-appeal-after-shed-fire/",
    title="Police appeal after shed fire",
    force="Example News",
    published_meta="2024-01-05T12:00:00Z",
    paragraphs=["Police are appealing for witnesses after a shed was set alight in the early hours of Friday morning."],
)
HUGE_PAGE = news_page(
    canonical="https://www.kent.police.uk/news/kent/news/huge/",
    title="Huge",
    published_meta="2024-01-05T12:00:00Z",
    paragraphs=["x" * 5_100_000],
)


@dataclass(frozen=True)
class ForceSite:
    site: Site
    feed: str
    atom: str
    sitemap_index: str
    romance: str
    safety: str


def build(site: Site) -> ForceSite:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    romance = site.add("/news/romance-fraud/", (PAGES / "staffs-romance-fraud.html").read_bytes(), etag='"r1"')
    safety = site.add("/news/online-safety/", SAFETY_PAGE, etag='"s1"')
    site.add("/news/county-lines/", COUNTY_PAGE)
    site.add("/news/county-lines-old/", status=301, headers={"Location": "/news/county-lines/"})
    site.add("/news/busy/", BUSY_PAGE, first=[(429, {"Retry-After": "1"})])
    site.add("/private/staff-briefing/", news_page(canonical=None, title="Private", paragraphs=["Not for you."]))
    site.add("/news/huge/", HUGE_PAGE)
    site.add("/news/undated/", UNDATED_PAGE)
    site.add("/news/not-police/", NOT_POLICE_PAGE)
    feed_items = [
        "/news/romance-fraud/",
        "/news/online-safety/",
        "/news/county-lines-old/",
        "/news/busy/",
        "/news/missing/",
        "/private/staff-briefing/",
        "/news/huge/",
        "/news/undated/",
        "/news/not-police/",
    ]
    feed = site.add(
        "/news/rss.xml", rss([site.base + p for p in feed_items]), content_type="application/rss+xml", etag='"f1"'
    )
    atom_feed = site.add(
        "/news/atom.xml",
        atom([romance, safety]),
        content_type="application/atom+xml",
        headers={"Last-Modified": "Mon, 12 Feb 2024 10:00:00 GMT"},
    )
    site.add("/sitemap-news.xml", sitemap([romance, site.base + "/news/county-lines/"]), content_type="application/xml")
    index = site.add(
        "/sitemap.xml", sitemap([site.base + "/sitemap-news.xml"], index=True), content_type="application/xml"
    )
    return ForceSite(site, feed, atom_feed, index, romance, safety)
