#!/usr/bin/env python3
"""nDCG@10 of the CLI on the Cranfield collection (evaluation tooling, not shipped).

Writes every document as an article file in a temporary folder, asks every query through
`python -m bot ask --json --top K --articles DIR -`, maps each returned passage to its document
(its article file), keeps each document's first rank, and computes nDCG@10 with gain 5 - grade
(grade -1, the query's source paper, gains 0). Prints the mean and how many queries got no result.

    .venv/bin/python tests/tools/cranfield.py ../shared/bench/cranfield
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = "```yaml\ntitle: {title}\nurl: https://cranfield.test/{id}\narea: Cranfield\npublish:\n  date: 00:00 01/01/2000\n```\n\n"


def write_docs(docs_file: Path, folder: Path) -> int:
    count = 0
    for line in docs_file.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = doc["text"].strip()
        if not text:
            continue
        title = json.dumps(doc["title"].strip() or f"document {doc['id']}")
        (folder / f"{doc['id']}.md").write_text(
            HEADER.format(title=title, id=doc["id"]) + text + "\n", encoding="utf-8"
        )
        count += 1
    return count


def ndcg_at_10(ranked: list[str], gains: dict[str, int]) -> float:
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(gains.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", type=Path, help="folder with docs.jsonl, queries.jsonl, qrels.tsv")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--top", type=int, default=30, help="passages asked for per query")
    args = parser.parse_args()
    queries = [json.loads(line) for line in (args.collection / "queries.jsonl").read_text().splitlines() if line]
    gains: dict[str, dict[str, int]] = {}
    for line in (args.collection / "qrels.tsv").read_text().splitlines():
        qid, did, grade = line.split("\t")
        gains.setdefault(qid, {})[did] = 5 - int(grade) if int(grade) > 0 else 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_docs(args.collection / "docs.jsonl", folder)
        run = subprocess.run(
            [args.python, "-m", "bot", "ask", "--json", "--top", str(args.top), "--articles", str(folder), "-"],
            input="\n".join(q["text"] for q in queries) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
    answers = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if len(answers) != len(queries):
        sys.exit(f"expected {len(queries)} answers, got {len(answers)}: {run.stderr[-400:]}")
    scores, empty = [], 0
    for query, answer in zip(queries, answers):
        docs = list(dict.fromkeys(r["article"].removesuffix(".md") for r in answer["results"]))
        empty += not docs
        scores.append(ndcg_at_10(docs, gains.get(query["id"], {})))
    print(f"cranfield: nDCG@10 {sum(scores) / len(scores):.4f} over {len(queries)} queries, {empty} without results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
