"""The LLM generator's logic with a scripted model: prompts, verification as the text streams,
renumbered citations with verbatim quotes, and every fallback to the extractive answer."""

from __future__ import annotations

from collections.abc import Sequence

from llm_fakes import FailingChat, FixedCorpus, ScriptedChat, hits

from assistant.answer import NOT_IN_DOCUMENTS
from assistant.chat_model import ChatModel
from assistant.extractive import ExtractiveGenerator
from assistant.grounded import GroundedGenerator
from assistant.prompts import AUDIENCE_STYLE, grounded_messages, select_passages
from index.embedding import HashingEmbedder

VIOLETA = (
    "El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en 2024. "
    "Las solicitudes se reciben en las oficinas del Instituto de la Mujer de Zacatecas."
)
LEY = "Artículo 3.- Las órdenes de protección se expiden en un plazo máximo de ocho horas."
CONVENIO = (
    "El municipio de Tlalnepantla y la universidad estatal firmaron un convenio de "
    "colaboración para capacitar a 250 servidoras públicas en perspectiva de género."
)
PASSAGES = hits(VIOLETA, LEY, CONVENIO)
CORPUS = FixedCorpus([VIOLETA, LEY, CONVENIO], rare_words=["tarjetas", "Zacatecas"])
QUESTION = "¿Cuántos apoyos otorgó el Programa Violeta y dónde se solicitan?"
ONE_PART = "¿Cuántos apoyos otorgó el Programa Violeta?"


def _similarity(left: Sequence[str], right: Sequence[str]) -> list[float]:
    embedder = HashingEmbedder()
    a, b = embedder.embed(list(left), "passage"), embedder.embed(list(right), "passage")
    return [float(x @ y) for x, y in zip(a, b, strict=True)]


def _generator(model: ChatModel, **options: object) -> GroundedGenerator:
    return GroundedGenerator(
        model,
        ExtractiveGenerator(CORPUS, max_passages=3),
        CORPUS,
        _similarity,
        min_similarity=0.4,
        **options,  # type: ignore[arg-type]
    )


def test_good_sentences_stream_bad_ones_never_show() -> None:
    model = ScriptedChat(
        "El Programa Violeta otorgó 4,321 apoyos en 2024 [1]. "
        "También entregó 9,999 tarjetas [1]. "
        "Las órdenes de protección se expiden en ocho horas [3]. "
        "Llama al 555 123 4567 [2]. "
        "Las solicitudes se reciben en el Instituto de la Mujer de Zacatecas [1, 9]."
    )
    streamed: list[str] = []
    draft = _generator(model).generate(QUESTION, PASSAGES, [], "personal", streamed.append)

    assert draft.answered
    assert draft.text == (
        "El Programa Violeta otorgó 4,321 apoyos en 2024. [1] "
        "Las órdenes de protección se expiden en ocho horas. [2] "
        "Las solicitudes se reciben en el Instituto de la Mujer de Zacatecas. [1]"
    )
    assert "".join(streamed) == draft.text  # what the chat window showed is the answer
    assert [c.verified for c in draft.checks] == [True, False, True, False, True]
    assert draft.checks[1].problems == ("cifra 9999", "término tarjet")
    assert draft.checks[3].problems[0] == "cifra 123"
    # the wrong marker [3] was replaced by the passage that supports the sentence
    assert draft.checks[2].chunk_ids == (PASSAGES[1].chunk.chunk_id,)
    assert [(c.key, c.chunk.text) for c in draft.citations] == [("1", VIOLETA), ("2", LEY)]
    # two sentences cite passage 1: its quote spans the two sentences they come from
    assert draft.citations[0].quote == VIOLETA
    assert all(c.quote in c.chunk.text for c in draft.citations)
    assert "first_token" in draft.timings


def test_the_prompt_numbers_the_passages_and_states_the_rules() -> None:
    model = ScriptedChat("El Programa Violeta otorgó 4,321 apoyos [1].")
    _generator(model).generate(QUESTION, PASSAGES, ["¿Qué es el Programa Violeta?"], "capacitacion")
    system, user = model.prompts[0]
    assert NOT_IN_DOCUMENTS in system.content and "[n]" in user.content
    assert "[1] Documento de prueba" in user.content and "[3] Documento de prueba" in user.content
    assert user.content.index(VIOLETA[:40]) < user.content.index(LEY[:40])
    assert AUDIENCE_STYLE["capacitacion"] in user.content
    assert "Preguntas anteriores: ¿Qué es el Programa Violeta?" in user.content


def test_audiences_ask_for_different_styles() -> None:
    styles = {
        audience: grounded_messages(QUESTION, [], audience)[1].content  # type: ignore[arg-type]
        for audience in ("ciudadania", "personal", "capacitacion")
    }
    assert "de tú" in styles["ciudadania"]
    assert "cifras" in styles["personal"] and "comillas" in styles["personal"]
    assert "##" in styles["capacitacion"] and "viñetas" in styles["capacitacion"]


def test_passages_are_trimmed_to_the_token_budget() -> None:
    long_text = " ".join(f"Oración número {i} sobre otro tema distinto." for i in range(40))
    passages = select_passages(
        "¿Cuántos apoyos otorgó el Programa Violeta?",
        hits(long_text + " " + VIOLETA, LEY),
        budget=80,
        count_tokens=lambda text: len(text) // 4 + 1,
        limit=4,
    )
    shown = sum(len(p.text) // 4 + 1 for p in passages)
    assert shown <= 80 + 10
    assert "4,321 apoyos" in passages[0].text  # the sentence that matches the question stays
    assert all(passages[0].chunk.text[a:b] for a, b in passages[0].spans)


def test_headings_and_bullets_for_trainers() -> None:
    model = ScriptedChat(
        "## Programa Violeta\n- Otorgó 4,321 apoyos a jefas de familia [1]\n"
        "- Las solicitudes se reciben en el Instituto de la Mujer de Zacatecas [1]\n"
        "## Otros datos\n- Dio 7 becas [1]"
    )
    draft = _generator(model).generate(QUESTION, PASSAGES, [], "capacitacion")
    assert draft.text == (
        "## Programa Violeta\n- Otorgó 4,321 apoyos a jefas de familia [1]\n"
        "- Las solicitudes se reciben en el Instituto de la Mujer de Zacatecas [1]\n"
        # the year the bullets left out comes word for word from the passage
        "- «El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en "
        "2024.» [1]"
    )


def test_model_says_not_in_documents_but_the_evidence_answers() -> None:
    model = ScriptedChat(NOT_IN_DOCUMENTS)
    draft = _generator(model).generate(QUESTION, PASSAGES, [], "ciudadania")
    assert draft.answered and "4,321" in draft.text and draft.citations
    assert "el modelo dijo que los pasajes no responden" in draft.reason
    assert draft.checks[0].problems == ("dice que no hay información",)


def test_nothing_verified_falls_back_to_the_extractive_answer() -> None:
    model = ScriptedChat("El programa entregó 12 tarjetas [1]. Es muy bueno.")
    streamed: list[str] = []
    draft = _generator(model).generate(QUESTION, PASSAGES, [], "ciudadania", streamed.append)
    assert draft.answered and "4,321" in draft.text
    assert "".join(streamed) == draft.text
    assert draft.reason.startswith("ninguna oración del modelo se pudo verificar")


def test_unsupported_question_is_declined_without_asking_the_model() -> None:
    model = ScriptedChat("Inventado [1].")
    draft = _generator(model).generate("¿Qué dice la ley de pesca de Sonora?", PASSAGES, [])
    assert not draft.answered and draft.text == NOT_IN_DOCUMENTS
    assert model.prompts == []


def test_a_model_that_fails_midway_gives_the_extractive_answer() -> None:
    draft = _generator(FailingChat()).generate(QUESTION, PASSAGES, [], "ciudadania")
    assert draft.answered and "4,321" in draft.text
    assert "el modelo falló" in draft.reason


def test_a_model_repeating_itself_is_cut_short() -> None:
    sentence = "El Programa Violeta otorgó 4,321 apoyos en 2024 [1]. "
    model = ScriptedChat(sentence * 30)
    draft = _generator(model).generate(ONE_PART, PASSAGES, [], "ciudadania")
    assert draft.text == "El Programa Violeta otorgó 4,321 apoyos en 2024. [1]"


def test_an_answer_drawn_only_from_the_passage_next_door_is_not_shown() -> None:
    model = ScriptedChat(
        "Las órdenes de protección se expiden en un plazo máximo de ocho horas [2]."
    )
    streamed: list[str] = []
    draft = _generator(model).generate(QUESTION, PASSAGES, [], "ciudadania", streamed.append)
    assert "4,321" in draft.text and "ocho horas" not in draft.text
    assert draft.reason.startswith("el modelo no usó los pasajes que responden la pregunta")
    assert draft.checks[0].verified
    assert "".join(streamed) == draft.text


def test_a_sentence_that_only_repeats_the_question_is_dropped() -> None:
    model = ScriptedChat(
        "El Programa Violeta otorgó apoyos [1]. "
        "El Programa Violeta otorgó 4,321 apoyos en 2024 [1]."
    )
    draft = _generator(model).generate(ONE_PART, PASSAGES, [], "ciudadania")
    assert draft.text == "El Programa Violeta otorgó 4,321 apoyos en 2024. [1]"
    assert draft.checks[0].problems == ("solo repite la pregunta",)


def test_what_the_model_leaves_out_follows_word_for_word() -> None:
    model = ScriptedChat("Las solicitudes se reciben en el Instituto de la Mujer de Zacatecas [1].")
    streamed: list[str] = []
    draft = _generator(model).generate(QUESTION, PASSAGES, [], "ciudadania", streamed.append)
    first, quoted = draft.text.split("\n")
    assert first == "Las solicitudes se reciben en el Instituto de la Mujer de Zacatecas. [1]"
    assert quoted.startswith("«El Programa Violeta otorgó 4,321 apoyos") and quoted.endswith("[1]")
    assert "".join(streamed) == draft.text
    assert draft.checks[-1].verified and draft.citations[0].quote == VIOLETA


def test_a_lists_introduction_is_not_repeated_alone() -> None:
    convenio = (
        "Para la adecuada instrumentación de los Convenios, el INMUJERES:\n"
        "- Brinda asistencia técnica a la entidad federativa.\n"
        "- Da seguimiento trimestral a los compromisos firmados."
    )
    corpus = FixedCorpus([convenio, LEY], rare_words=["instrumentación"])
    model = ScriptedChat(
        "## Compromisos\n- Brinda asistencia técnica a la entidad federativa [1]\n"
        "- Da seguimiento trimestral a los compromisos firmados [1]"
    )
    generator = GroundedGenerator(
        model, ExtractiveGenerator(corpus, max_passages=3), corpus, _similarity, min_similarity=0.4
    )
    question = "¿Qué hace el INMUJERES para la instrumentación de los Convenios?"
    draft = generator.generate(question, hits(convenio, LEY), [], "capacitacion")
    assert "asistencia técnica" in draft.text and "seguimiento trimestral" in draft.text
    assert "«Para la adecuada instrumentación" not in draft.text


class _Quoted:
    """An extractive answer fixed in advance: two list items from two documents, quoted one
    after the other without a period between them (as fracciones are)."""

    def __init__(self, text: str, *chunks: object) -> None:
        from assistant.answer import Citation, Draft

        self.draft = Draft(
            text,
            tuple(Citation(str(n), c, c.text) for n, c in enumerate(chunks, 1)),  # type: ignore[arg-type]
            answered=True,
        )

    def generate(self, *args: object, **kwargs: object) -> object:
        return self.draft


def test_a_left_out_quote_keeps_the_number_of_its_own_passage() -> None:
    """A sentence the model left out comes after its answer word for word, under the number of
    the passage it comes from: two quoted items used to be read as one claim citing the first
    passage, so the second document's words were shown under the first one's number."""
    center = hits(
        "II. Atiende las 24 horas del día;",
        "III. Tiene su sede en Saltillo, Coahuila;",
        "El convenio se firmó en 2019.",
    )
    fixed = _Quoted(
        "II. Atiende las 24 horas del día; [1] III. Tiene su sede en Saltillo, Coahuila; [2]",
        center[0].chunk,
        center[1].chunk,
    )
    corpus = FixedCorpus([h.chunk.text for h in center], rare_words=["Saltillo", "Coahuila"])
    generator = GroundedGenerator(
        ScriptedChat("El centro atiende las 24 horas del día [1]."),
        fixed,  # type: ignore[arg-type]
        corpus,
        _similarity,
        min_similarity=0.0,
    )
    draft = generator.generate("¿Cuándo atiende el centro y dónde está?", center, [])
    by_key = {c.key: c.chunk.text for c in draft.citations}
    quoted = [line for line in draft.text.split("\n") if "«" in line]
    assert quoted and all("Saltillo" in line for line in quoted)
    for line in quoted:
        inside = line[line.index("«") + 1 : line.index("»")]
        key = line.rsplit("[", 1)[1].rstrip("]")
        assert inside.split(" ", 1)[1] in by_key[key], (line, by_key)
