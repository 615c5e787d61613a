from __future__ import annotations

import pytest

from bot.safeguarding.directory import Channel, load_directory
from bot.safeguarding.router import Router
from bot.safeguarding.services import TOPIC_SERVICES, report_services


@pytest.fixture(scope="module")
def directory() -> tuple[Channel, ...]:
    return load_directory()


@pytest.fixture(scope="module")
def router(directory: tuple[Channel, ...]) -> Router:
    return Router(directory)


@pytest.mark.parametrize("topic", [None, "", "   "])
def test_no_topic_lists_the_whole_directory(directory: tuple[Channel, ...], router: Router, topic: str | None) -> None:
    assert report_services(topic, directory, router) == directory


def test_a_topic_gets_the_services_that_fit_with_the_emergency_line_first(
    directory: tuple[Channel, ...], router: Router
) -> None:
    services = report_services("online grooming", directory, router)
    assert services[0].emergency and not any(c.emergency for c in services[1:])
    assert any(c.name.startswith("CEOP") for c in services)
    assert 1 < len(services) <= TOPIC_SERVICES + 1


def test_an_unrelated_topic_still_gets_the_emergency_service(directory: tuple[Channel, ...], router: Router) -> None:
    services = report_services("pizza recipes", directory, router)
    assert [c.emergency for c in services] == [True]


def test_a_topic_about_danger_is_not_given_the_emergency_service_twice(
    directory: tuple[Channel, ...], router: Router
) -> None:
    services = report_services("a child is in danger right now", directory, router)
    assert services[0].emergency and sum(c.emergency for c in services) == 1
