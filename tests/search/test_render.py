from bot.search.render import BOLD, PLAIN, hit_json, hit_text


def test_terminal_text_bolds_the_answer_only_when_asked(seed_index) -> None:
    hit = seed_index.search("what is the stop it now helpline number", k=1)[0]
    start, end = hit.answer
    sentence = hit.passage.text[start:end]
    assert "0808 1000 900" in sentence
    plain = hit_text(hit, width=60)
    assert BOLD not in plain and PLAIN not in plain
    styled = hit_text(hit, width=60, highlight=True)
    assert styled.count(BOLD) == styled.count(PLAIN) >= 1
    bold_parts = [part.split(PLAIN)[0] for part in styled.split(BOLD)[1:]]
    assert " ".join(p.replace("\n   | ", " ").strip() for p in bold_parts) == sentence
    assert styled.replace(BOLD, "").replace(PLAIN, "") == plain  # the text itself is untouched


def test_json_gives_the_answer_span_in_the_verbatim_text(seed_index) -> None:
    hit = seed_index.search("what is the stop it now helpline number", k=1)[0]
    payload = hit_json(hit)
    start, end = payload["answer_span"]
    assert payload["text"] == hit.passage.text and "0808 1000 900" in payload["text"][start:end]
