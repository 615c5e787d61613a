from bot.search.render import BOLD_OFF, BOLD_ON, hit_json, hit_text, styled


def test_terminal_text_marks_the_answer_only_when_asked(seed_index) -> None:
    hit = seed_index.search("what is the stop it now helpline number", k=1)[0]
    start, end = hit.answer
    sentence = hit.passage.text[start:end]
    assert "0808 1000 900" in sentence
    plain = hit_text(hit, width=60)
    assert BOLD_ON not in plain and BOLD_OFF not in plain
    marked = hit_text(hit, width=60, highlight=True)
    assert marked.count(BOLD_ON) == marked.count(BOLD_OFF) >= 1
    bold_parts = [part.split(BOLD_OFF)[0] for part in marked.split(BOLD_ON)[1:]]
    assert " ".join(p.replace("\n   | ", " ").strip() for p in bold_parts) == sentence
    assert styled(marked, ansi=False) == plain  # the text itself is untouched
    assert styled(marked, ansi=True).count("\x1b[1m") == marked.count(BOLD_ON)


def test_json_gives_the_answer_span_in_the_verbatim_text(seed_index) -> None:
    hit = seed_index.search("what is the stop it now helpline number", k=1)[0]
    payload = hit_json(hit)
    start, end = payload["answer_span"]
    assert payload["text"] == hit.passage.text and "0808 1000 900" in payload["text"][start:end]
