from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError


def settings(**env: str) -> Settings:
    return Settings.from_env(env, dotenv=None)


def test_database_and_shards_default_to_unset() -> None:
    plain = settings()
    assert (plain.database_path, plain.shard_count, plain.shard_ids) == (None, None, None)


def test_database_path_and_shards_are_read() -> None:
    read = settings(DATABASE_PATH="/srv/bot/servers.sqlite3", SHARD_COUNT="4", SHARD_IDS="2, 3")
    assert read.database_path == Path("/srv/bot/servers.sqlite3")
    assert (read.shard_count, read.shard_ids) == (4, (2, 3))
    assert settings(SHARD_COUNT="2").shard_ids is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be at least 1"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "from 0 to 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,x"}, "from 0 to 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,1"}, "twice"),
    ],
)
def test_bad_shard_settings_are_one_sentence_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        settings(**env)
