"""Checks on the evaluation question sets: schema, kind counts, and that every quote and expected
fact really is in the corpus the set is asked against.

The corpus text is read here with pypdf and a tag-stripping regex on purpose, independently of the
pipeline's loader, so a loader bug cannot make a broken question set look right.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from evals.matching import contains_quote, normalize_for_match

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_ROOT / "tests" / "corpus"  # the five seed documents
PROJECT_CORPUS = PROJECT_ROOT / "corpus"  # the default corpus: seeds and the 20 others
QUESTIONS = PROJECT_ROOT / "evals" / "questions.jsonl"
QUESTIONS_EXTRA = PROJECT_ROOT / "evals" / "questions_extra.jsonl"
QUESTIONS_MULTI = PROJECT_ROOT / "evals" / "questions_multi.jsonl"

FIELDS = {"id", "question", "history", "answerable", "facts", "quotes", "kind"}
KINDS = {"fact", "summary", "followup", "colloquial", "crosslingual", "unanswerable"}
SEED_MINIMUMS = {
    "fact": 45,
    "summary": 10,
    "followup": 10,
    "colloquial": 15,
    "crosslingual": 5,
    "unanswerable": 15,
}
SEED_TOTAL_MINIMUM = 100
# The extra set is written separately; no per-kind quota has been agreed for it yet.
EXTRA_MINIMUMS: dict[str, int] = {}
# The multi-part set (issue "answer the whole question"): questions as staff, trainers and
# women write them, over all 25 documents, each naming the documents that answer it.
MULTI_KINDS = {"fact", "named", "list", "compound", "summary", "colloquial", "unanswerable"}
MULTI_MINIMUMS = {
    "named": 15,
    "list": 12,
    "compound": 12,
    "summary": 8,
    "colloquial": 10,
    "unanswerable": 8,
}
MULTI_TOTAL_MINIMUM = 80
MULTI_MEAN_FACT_GROUPS = 2.5
DOCUMENT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
FACT_WINDOW = 300  # characters either side of a quote in which each fact group must appear
QUOTE_WORDS = (6, 15)

_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_HSPACE = re.compile(r"[^\S\n]+")


@dataclass(frozen=True)
class CorpusText:
    """One corpus file as raw text, plus its normalized form for quote and fact lookups.

    PDF text layers split words at random ("contacto di recto") and how they split depends on the
    pypdf version, so PDF text is also kept without any spaces for a spacing-blind fallback.
    """

    name: str
    raw: str
    normalized: str
    is_pdf: bool = False

    @property
    def compact(self) -> str:
        return self.normalized.replace(" ", "")


def read_corpus_file(path: Path) -> str:
    """Text of one corpus file: pypdf page texts joined for PDFs, tags stripped for HTML."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in {".html", ".htm"}:
        text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", text)))
    return text


def load_corpus(folder: Path) -> list[CorpusText]:
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    )
    texts = []
    for path in files:
        raw = read_corpus_file(path)
        is_pdf = path.suffix.lower() == ".pdf"
        texts.append(CorpusText(path.name, raw, normalize_for_match(raw), is_pdf))
    return texts


def load_questions(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _collapse_lines(text: str) -> str:
    """Horizontal whitespace collapsed, line breaks kept: a quote may not span a line."""
    return "\n".join(_HSPACE.sub(" ", line).strip() for line in text.splitlines())


def _quote_spans(doc: CorpusText, quote: str) -> list[tuple[int, int]]:
    needle = normalize_for_match(quote)
    haystack = f" {doc.normalized} "
    spans = []
    start = haystack.find(f" {needle} ")
    while needle and start != -1:
        spans.append((start, start + len(needle) + 1))
        start = haystack.find(f" {needle} ", start + 1)
    return spans


def _compact(text: str) -> str:
    return normalize_for_match(text).replace(" ", "")


def _compact_spans(doc: CorpusText, quote: str) -> list[tuple[int, int]]:
    needle = _compact(quote)
    spans = []
    start = doc.compact.find(needle) if needle else -1
    while start != -1:
        spans.append((start, start + len(needle)))
        start = doc.compact.find(needle, start + 1)
    return spans


def quote_in_doc(doc: CorpusText, quote: str) -> bool:
    """The normalized quote is in the document; for PDFs, also when only the spacing differs."""
    if contains_quote(doc.normalized, quote):
        return True
    return doc.is_pdf and bool(_compact_spans(doc, quote))


def fact_near_quotes(corpus: list[CorpusText], quotes: list[str], alternatives: list[str]) -> bool:
    """True when an alternative occurs within FACT_WINDOW characters of a quote occurrence."""
    for doc in corpus:
        padded = f" {doc.normalized} "
        for quote in quotes:
            for start, end in _quote_spans(doc, quote):
                window = padded[max(0, start - FACT_WINDOW) : end + FACT_WINDOW]
                if any(contains_quote(window, alt) for alt in alternatives):
                    return True
            if not doc.is_pdf:
                continue
            for start, end in _compact_spans(doc, quote):
                window = doc.compact[max(0, start - FACT_WINDOW) : end + FACT_WINDOW]
                if any(_compact(alt) in window for alt in alternatives):
                    return True
    return False


# ---------------------------------------------------------------- fixtures


def _require_dir(folder: Path, what: str) -> None:
    if not folder.is_dir():
        pytest.skip(f"no está la carpeta {what} ({folder})")


@pytest.fixture(scope="module")
def seed_questions() -> list[dict[str, object]]:
    return load_questions(QUESTIONS)


@pytest.fixture(scope="module")
def extra_questions() -> list[dict[str, object]]:
    if not QUESTIONS_EXTRA.exists():
        pytest.skip(f"todavía no existe {QUESTIONS_EXTRA.name}")
    return load_questions(QUESTIONS_EXTRA)


@pytest.fixture(scope="module", params=["test-seeds", "project-corpus"])
def seed_corpus(request: pytest.FixtureRequest) -> list[CorpusText]:
    if request.param == "test-seeds":
        _require_dir(SEEDS, "de semillas de las pruebas")
        return load_corpus(SEEDS)
    _require_dir(PROJECT_CORPUS, "corpus/ del proyecto")
    corpus = load_corpus(PROJECT_CORPUS)
    if not corpus:
        pytest.skip(f"{PROJECT_CORPUS} todavía no tiene documentos")
    return corpus


@pytest.fixture(scope="module")
def extra_corpus() -> list[CorpusText]:
    _require_dir(PROJECT_CORPUS, "corpus/ del proyecto")
    seeds = {p.name for p in SEEDS.iterdir()}
    return [doc for doc in load_corpus(PROJECT_CORPUS) if doc.name not in seeds]


# ---------------------------------------------------------------- shared checks


def check_schema(
    questions: list[dict[str, object]],
    minimums: dict[str, int],
    fields: set[str] = FIELDS,
    kinds: set[str] = KINDS,
) -> None:
    assert questions, "el archivo de preguntas está vacío"
    ids = [q.get("id") for q in questions]
    duplicated = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicated, f"ids repetidos: {duplicated}"
    for q in questions:
        qid = q.get("id")
        assert set(q) == fields, f"{qid}: campos {sorted(q)}"
        assert isinstance(qid, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", qid), qid
        assert isinstance(q["question"], str) and q["question"].strip(), qid
        assert q["kind"] in kinds, f"{qid}: tipo {q['kind']!r}"
        assert isinstance(q["answerable"], bool), qid
        history, facts, quotes = q["history"], q["facts"], q["quotes"]
        assert isinstance(history, list), qid
        assert all(isinstance(turn, str) and turn.strip() for turn in history), qid
        assert isinstance(facts, list) and isinstance(quotes, list), qid
        for group in facts:
            assert isinstance(group, list) and group, f"{qid}: grupo de hechos vacío"
            assert all(isinstance(alt, str) and normalize_for_match(alt) for alt in group), qid
        for quote in quotes:
            assert isinstance(quote, str) and "\n" not in quote, f"{qid}: {quote!r}"
            words = len(quote.split())
            assert QUOTE_WORDS[0] <= words <= QUOTE_WORDS[1], f"{qid}: {words} palabras: {quote!r}"
        if q["kind"] == "unanswerable":
            assert q["answerable"] is False, f"{qid}: unanswerable marcado como respondible"
        if q["answerable"]:
            assert facts, f"{qid}: pregunta respondible sin hechos"
            assert 1 <= len(quotes) <= 3, f"{qid}: {len(quotes)} citas"
        else:
            assert facts == [] and quotes == [], f"{qid}: no respondible con hechos o citas"
        if q["kind"] == "followup":
            assert history, f"{qid}: seguimiento sin historial"
        else:
            assert not history, f"{qid}: historial en una pregunta que no es de seguimiento"
    counts = Counter(str(q["kind"]) for q in questions)
    short = {k: (counts[k], n) for k, n in minimums.items() if counts[k] < n}
    assert not short, f"faltan preguntas por tipo (tiene, mínimo): {short}"


def check_quotes_in_corpus(questions: list[dict[str, object]], corpus: list[CorpusText]) -> None:
    missing = [
        (q["id"], quote)
        for q in questions
        for quote in q["quotes"]  # type: ignore[attr-defined]
        if not any(quote_in_doc(doc, quote) for doc in corpus)
    ]
    assert not missing, f"citas que no están en el corpus: {missing}"


def check_facts_near_quotes(questions: list[dict[str, object]], corpus: list[CorpusText]) -> None:
    far = [
        (q["id"], group)
        for q in questions
        for group in q["facts"]  # type: ignore[attr-defined]
        if not fact_near_quotes(corpus, q["quotes"], group)  # type: ignore[arg-type]
    ]
    assert not far, f"hechos lejos de las citas (>{FACT_WINDOW} caracteres): {far}"


# ---------------------------------------------------------------- matching


def test_normalize_for_match_folds_accents_case_separators_and_markup() -> None:
    assert normalize_for_match("Se aprobaron 1,234 <b>créditos</b>, ¡en Cancún!") == (
        "se aprobaron 1234 creditos en cancun"
    )
    assert normalize_for_match("81.961 mujeres") == "81961 mujeres"
    assert normalize_for_match("NMX-R-025-SCFI-2015") == "nmx r 025 scfi 2015"
    assert normalize_for_match("3.5 y 26/12/2022") == "3 5 y 26 12 2022"
    assert normalize_for_match("país,<sup>1/</sup>\n\tAÑO") == "pais 1 ano"


def test_contains_quote_respects_token_boundaries() -> None:
    assert contains_quote("se aprobaron 127 créditos", "127 CREDITOS")
    assert not contains_quote("se aprobaron 1275 créditos", "127")
    assert not contains_quote("Semarnat", "mar")
    assert not contains_quote("cualquier texto", " ¡! ")


# ---------------------------------------------------------------- seed question set


def test_seed_questions_schema_and_counts(seed_questions: list[dict[str, object]]) -> None:
    assert len(seed_questions) >= SEED_TOTAL_MINIMUM
    check_schema(seed_questions, SEED_MINIMUMS)


def test_seed_quotes_are_verbatim_lines_of_the_seeds(
    seed_questions: list[dict[str, object]], seed_corpus: list[CorpusText]
) -> None:
    """Stricter than the normalized check: the seed quotes are copied from the raw text."""
    lines = [_collapse_lines(doc.raw) for doc in seed_corpus]
    missing = [
        (q["id"], quote)
        for q in seed_questions
        for quote in q["quotes"]  # type: ignore[attr-defined]
        if not any(_HSPACE.sub(" ", quote).strip() in text for text in lines)
    ]
    assert not missing, f"citas que no son literales: {missing}"


def test_seed_quotes_appear_in_corpus(
    seed_questions: list[dict[str, object]], seed_corpus: list[CorpusText]
) -> None:
    check_quotes_in_corpus(seed_questions, seed_corpus)


def test_seed_facts_lie_near_their_quotes(
    seed_questions: list[dict[str, object]], seed_corpus: list[CorpusText]
) -> None:
    check_facts_near_quotes(seed_questions, seed_corpus)


# ---------------------------------------------------------------- extra question set


@pytest.mark.extra
def test_extra_questions_schema_and_counts(extra_questions: list[dict[str, object]]) -> None:
    check_schema(extra_questions, EXTRA_MINIMUMS)


@pytest.mark.extra
def test_extra_ids_do_not_clash_with_seed_ids(
    seed_questions: list[dict[str, object]], extra_questions: list[dict[str, object]]
) -> None:
    clash = {q["id"] for q in seed_questions} & {q["id"] for q in extra_questions}
    assert not clash, f"ids presentes en ambos conjuntos: {sorted(clash)}"  # type: ignore[type-var]


@pytest.mark.extra
def test_extra_quotes_appear_in_corpus(
    extra_questions: list[dict[str, object]], extra_corpus: list[CorpusText]
) -> None:
    check_quotes_in_corpus(extra_questions, extra_corpus)


@pytest.mark.extra
def test_extra_facts_lie_near_their_quotes(
    extra_questions: list[dict[str, object]], extra_corpus: list[CorpusText]
) -> None:
    check_facts_near_quotes(extra_questions, extra_corpus)


def test_pdf_quotes_tolerate_words_split_by_the_text_layer() -> None:
    raw = "la autoridad que la emitió mantendrá contacto di recto con la mujer cada 24 horas."
    quote = "mantendrá contacto directo con la mujer cada 24 horas"
    pdf = CorpusText("ley.pdf", raw, normalize_for_match(raw), is_pdf=True)
    markdown = CorpusText("ley.md", raw, normalize_for_match(raw))
    assert quote_in_doc(pdf, quote)
    assert not quote_in_doc(markdown, quote)
    assert fact_near_quotes([pdf], [quote], ["24 horas"])
    assert not fact_near_quotes([pdf], [quote], ["48 horas"])


# ---------------------------------------------------------------- multi-part question set


@pytest.fixture(scope="module")
def multi_questions() -> list[dict[str, object]]:
    return load_questions(QUESTIONS_MULTI)


@pytest.fixture(scope="module")
def all_documents(extra_corpus: list[CorpusText]) -> dict[str, CorpusText]:
    return {doc.name: doc for doc in [*load_corpus(SEEDS), *extra_corpus]}


@pytest.mark.extra
def test_multi_questions_schema_counts_and_depth(
    multi_questions: list[dict[str, object]], all_documents: dict[str, CorpusText]
) -> None:
    assert len(multi_questions) >= MULTI_TOTAL_MINIMUM
    check_schema(multi_questions, MULTI_MINIMUMS, FIELDS | {"docs"}, MULTI_KINDS)
    answerable = [q for q in multi_questions if q["answerable"]]
    groups = sum(len(q["facts"]) for q in answerable) / len(answerable)  # type: ignore[arg-type]
    assert groups >= MULTI_MEAN_FACT_GROUPS, f"{groups:.2f} grupos de hechos por pregunta"
    for q in multi_questions:
        docs = q["docs"]
        assert isinstance(docs, list) and docs, f"{q['id']}: sin documentos"
        assert set(docs) <= set(all_documents), f"{q['id']}: documentos desconocidos {docs}"
    ids = {q["id"] for q in multi_questions}
    others = {q["id"] for f in (QUESTIONS, QUESTIONS_EXTRA) for q in load_questions(f)}
    assert not ids & others, f"ids presentes en otro conjunto: {sorted(ids & others)}"


@pytest.mark.extra
def test_multi_quotes_and_facts_lie_in_the_documents_they_name(
    multi_questions: list[dict[str, object]], all_documents: dict[str, CorpusText]
) -> None:
    for q in multi_questions:
        named = [all_documents[name] for name in q["docs"]]  # type: ignore[attr-defined]
        check_quotes_in_corpus([q], named)
        check_facts_near_quotes([q], named)
