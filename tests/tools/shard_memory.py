"""Memory of bot processes splitting two shards, against the fake Discord (the README's table).

    python -m bot bench 100000 --workdir /tmp/b100k        # writes /tmp/b100k/articles
    INDEX_DIR=/tmp/b100k/index python -m bot index --articles /tmp/b100k/articles
    python tests/tools/shard_memory.py /tmp/b100k --processes 2 --questions 1000
    python tests/tools/shard_memory.py /tmp/b100k --processes 1 --questions 1000

Starts `python -m bot run` with SHARD_COUNT=2 (and SHARD_IDS=0 / 1 for two processes) on
WORKDIR/articles and WORKDIR/index, asks the benchmark's sample questions alternately in two
servers on the two shards, and prints /proc/<pid>/smaps_rollup figures (MB) after start and after
the questions. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from bot_process import TOKEN, bot_env  # noqa: E402
from fake_discord import FakeDiscord  # noqa: E402
from fake_discord.shards import shard_of  # noqa: E402

from bot.bench.synthetic import sample_queries  # noqa: E402

KEYS = ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty")


def smaps(pid: int) -> dict[str, int]:
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].rstrip(":") in KEYS:
            figures[parts[0].rstrip(":")] = round(int(parts[1]) / 1024)
    return figures


async def measure(work: Path, processes: int, questions: int) -> None:
    run = Path(tempfile.mkdtemp(prefix="shard-memory-"))
    async with FakeDiscord(token=TOKEN, response_deadline=None) as fake:
        first = shard_of(fake.guild_id, 2)
        guilds = [fake.guild_id, fake.add_guild(shard=(1 - first, 2))]
        base = {
            "ARTICLES_DIR": str(work / "articles"), "INDEX_DIR": str(work / "index"), "ASK_PER_30S": "100000",
            "DISCORD_GUILD_ID": "", "SHARD_COUNT": "2", "DATABASE_PATH": str(run / "servers.sqlite3"),
        }  # fmt: skip
        envs = [{**base, "SHARD_IDS": str(i)} for i in range(2)] if processes == 2 else [base]
        started = []
        for number, extra in enumerate(envs):
            command = [sys.executable, "-m", "bot", "run"]
            with (run / f"bot{number}.log").open("wb") as log:
                process = await asyncio.create_subprocess_exec(
                    *command, cwd=run, env=bot_env(fake, run, **extra), stdout=log, stderr=log
                )
            started.append(process)
        try:
            await fake.wait_ready(timeout=300, count=2)
            await fake.wait_until(lambda: fake.global_commands, "the command sync", timeout=60)
            await asyncio.sleep(3)
            print("after start:    ", [smaps(p.pid) for p in started])
            for number, question in enumerate(sample_queries(questions, seed=1)):
                options = {"question": (question + " police")[:300]}
                await fake.wait_response(
                    await fake.send_interaction(fake.slash("ask", options, guild_id=guilds[number % 2])), timeout=30
                )
            print("after questions:", [smaps(p.pid) for p in started])
        finally:
            for process in started:
                process.send_signal(signal.SIGTERM)
                await process.wait()
    print(f"logs in {run}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path, help="holds articles/ and index/ (see above)")
    parser.add_argument("--processes", type=int, choices=(1, 2), default=2)
    parser.add_argument("--questions", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(measure(args.workdir, args.processes, args.questions))


if __name__ == "__main__":
    main()
