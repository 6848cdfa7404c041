from evals.metrics import facts_present, quote_found, score_question, summarize
from evals.questions import Question

QUESTION = Question(
    "q1",
    "¿Cuántos créditos?",
    (),
    True,
    (("127",), ("29 entidades", "29 estados")),
    ("se aprobaron 127 créditos a mujeres de 29 entidades federativas",),
    "fact",
)


def _result(answer: str, passages: list[str], answered: bool = True) -> dict:
    return {
        "answer": answer,
        "answered": answered,
        "citations": [{"text": passages[0], "quote": passages[0][:20]}] if answered else [],
        "retrieved": [{"rank": i + 1, "text": p} for i, p in enumerate(passages)],
        "latency_s": 0.1,
    }


def test_quote_found_whole_or_split_at_a_chunk_boundary() -> None:
    quote = "se aprobaron 127 créditos a mujeres de 29 entidades"
    assert quote_found(quote, ["Así, se aprobaron 127 Créditos a mujeres de 29 entidades."])
    assert quote_found(quote, ["… y se aprobaron 127 créditos", "a mujeres de 29 entidades."])
    assert not quote_found(quote, ["se aprobaron 127 créditos", "otra cosa"])
    assert not quote_found("1275 créditos", ["se aprobaron 127 créditos"])


def test_facts_need_one_alternative_of_every_group_after_normalization() -> None:
    assert facts_present("Se aprobaron 127 créditos en 29 Estados.", QUESTION.facts)
    assert not facts_present("Se aprobaron 127 créditos.", QUESTION.facts)
    assert facts_present("1,234 apoyos", (("1234",),))


def test_scores_and_summary() -> None:
    gold = "Se aprobaron 127 créditos a mujeres de 29 entidades federativas."
    good = score_question(QUESTION, _result("127 créditos, 29 entidades [1]", [gold, "x"]))
    refused = score_question(QUESTION, _result("No.", ["otro texto"], answered=False))
    unanswerable = Question("q2", "¿?", (), False, (), (), "unanswerable")
    declined = score_question(unanswerable, _result("No.", ["x"], answered=False))
    assert good.recall_at[1] and good.cited_gold and good.fact_correct and not good.problems
    assert refused.false_refusal and not refused.fact_correct and refused.problems
    assert declined.refusal_correct
    summary = summarize([good, refused, declined])
    assert summary["recall@5"] == 0.5
    assert summary["fact_accuracy"] == 0.5
    # the two asked-for facts are stated once of the two times they were asked
    assert (good.facts_found, good.facts_total, refused.facts_found) == (2, 2, 0)
    assert summary["fact_groups"] == 0.5
    assert summary["false_refusals"] == 0.5
    assert summary["refusal_accuracy"] == 1.0
    assert summary["quote_fidelity"] == 1.0
