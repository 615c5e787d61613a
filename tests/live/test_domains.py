from bot.corpus.forces import force_key, resolve_force
from bot.live.domains import force_for_url, known_forces, police_domains

NATIONAL = {"British Transport Police", "Police Scotland", "PSNI", "National Crime Agency", "CEOP"}


def test_every_territorial_force_and_the_national_bodies() -> None:
    forces = set(known_forces())
    assert forces >= NATIONAL
    assert len(forces - NATIONAL) == 43  # the territorial forces of England and Wales
    assert len({force_key(f) for f in forces}) == len(forces)  # no two forces look alike to the matcher
    assert all(domain.endswith((".police.uk", ".gov.uk")) for domain in police_domains())


def test_force_from_host_and_sub_domains() -> None:
    assert force_for_url("https://www.westmercia.police.uk/news/west-mercia/news/2021/") == "West Mercia"
    assert force_for_url("https://WWW.STAFFORDSHIRE.POLICE.UK./news/") == "Staffordshire"
    assert force_for_url("https://www.met.police.uk/news/") == "Metropolitan"
    assert force_for_url("https://www.ceop.police.uk/safety-centre/") == "CEOP"
    assert force_for_url("https://www.nationalcrimeagency.gov.uk/news/") == "National Crime Agency"
    assert force_for_url("https://www.example-news.co.uk/police/") is None
    assert force_for_url("https://police.uk/") is None
    assert force_for_url("https://notmet.police.uk.evil.example/") is None


def test_names_work_with_the_force_matcher() -> None:
    forces = known_forces()
    assert resolve_force("staffs", forces) == "Staffordshire"
    assert resolve_force("West Mercia Police", forces) == "West Mercia"
    assert resolve_force("the met", forces) == "Metropolitan"
