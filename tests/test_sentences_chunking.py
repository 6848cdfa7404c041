from index.chunking import ChunkingConfig, chunk_document
from index.documents import Document, PageSpan
from index.sentences import split_sentences


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "El Lic. Pérez y la Mtra. Gómez firmaron conforme al Art. 5, fracc. II del C.P. vigente. "
        "Se aprobaron 127 créditos de un total de 32. Artículo 6. La violencia es grave."
    )
    assert split_sentences(text) == [
        "El Lic. Pérez y la Mtra. Gómez firmaron conforme al Art. 5, fracc. II del C.P. vigente.",
        "Se aprobaron 127 créditos de un total de 32.",
        "Artículo 6. La violencia es grave.",
    ]


def test_questions_exclamations_and_line_breaks_end_sentences() -> None:
    assert split_sentences("¿Dónde acudo? ¡Al centro!\n- sin punto final\nOtra.") == [
        "¿Dónde acudo?",
        "¡Al centro!",
        "- sin punto final",
        "Otra.",
    ]


def _document(text: str, pages: tuple[PageSpan, ...] = ()) -> Document:
    return Document("d1", __file__, "ley.txt", "Ley de prueba", "", "", "ley", text, pages)  # type: ignore[arg-type]


LAW = (
    "# TÍTULO PRIMERO\n\n"
    "## CAPÍTULO I DISPOSICIONES GENERALES\n\n"
    "Artículo 1.- Objeto de la ley.\n\n"
    "Artículo 2.- Principios rectores:\n\n"
    "I. La igualdad jurídica;\n\n"
    "II. La no discriminación.\n\n"
    "## CAPÍTULO II DE LA VIOLENCIA\n\n"
    "Artículo 6 Bis.- La violencia digital es toda acción dolosa.\n\n"
    "Artículo 7.- " + "Texto largo del artículo siete. " * 60
)


def test_articles_are_never_straddled_and_carry_their_heading_path() -> None:
    chunks = chunk_document(_document(LAW), ChunkingConfig(max_chars=400, min_chars=100))
    headings = [c.heading for c in chunks]
    assert headings[0] == "TÍTULO PRIMERO > CAPÍTULO I DISPOSICIONES GENERALES > Artículo 1"
    assert headings[1].endswith("CAPÍTULO I DISPOSICIONES GENERALES > Artículo 2")
    assert (
        "I. La igualdad jurídica;" in chunks[1].text
        and "II. La no discriminación." in chunks[1].text
    )
    assert headings[2] == "TÍTULO PRIMERO > CAPÍTULO II DE LA VIOLENCIA > Artículo 6 Bis"
    assert chunks[2].text == "Artículo 6 Bis.- La violencia digital es toda acción dolosa."
    long_article = [c for c in chunks if c.heading.endswith("Artículo 7")]
    assert len(long_article) > 2 and all(len(c.text) <= 400 for c in long_article)
    for chunk in chunks:
        assert sum(chunk.text.count(f"Artículo {n}") for n in (1, 2, 7)) <= 1


def test_chunk_ids_offsets_and_pages_are_deterministic() -> None:
    text = "Primer párrafo de la página uno.\n\nSegundo párrafo que sigue en la página dos."
    split = text.index("Segundo")
    pages = (PageSpan(1, 0, split), PageSpan(2, split, len(text)))
    config = ChunkingConfig(max_chars=60, min_chars=10, overlap_sentences=0)
    first = chunk_document(_document(text, pages), config)
    assert first == chunk_document(_document(text, pages), config)
    assert [c.chunk_id for c in first] == ["d1-0000", "d1-0001"]
    assert [(c.page, c.page_end) for c in first] == [(1, 1), (2, 2)]
    for chunk in first:
        assert text[chunk.start : chunk.end] == chunk.text


def test_short_sections_merge_but_articles_do_not() -> None:
    text = "# Uno\n\nBreve.\n\n# Dos\n\nTambién breve.\n\nArtículo 1.- A.\n\nArtículo 2.- B."
    chunks = chunk_document(_document(text), ChunkingConfig(max_chars=500, min_chars=100))
    assert [c.text for c in chunks] == [
        "Breve.\nTambién breve.",
        "Artículo 1.- A.",
        "Artículo 2.- B.",
    ]


def test_sentence_windows_carry_the_passage_label_and_join_short_sentences() -> None:
    from index.windows import chunk_windows

    text = (
        "# CAPÍTULO VI\n\nArtículo 59.- Los Centros de Justicia brindarán asesoría jurídica, "
        "atención médica y psicológica a las mujeres que lo soliciten. Sí. También talleres. "
        "Los servicios se proporcionarán con independencia de que exista o no una denuncia. Fin."
    )
    (chunk,) = chunk_document(_document(text), ChunkingConfig())
    windows = chunk_windows(chunk, 80)
    assert [w.window_id for w in windows] == [f"{chunk.chunk_id}~000", f"{chunk.chunk_id}~001"]
    assert all(w.chunk_id == chunk.chunk_id and w.source == "ley.txt" for w in windows)
    assert all(w.text.startswith(chunk.context_label + "\n") for w in windows)
    assert "Artículo 59" in chunk.context_label
    # "Sí." and "También talleres." are too short alone: they join the sentence after them;
    # the short last sentence joins the last window
    second = windows[1].text.split("\n", 1)[1]
    assert second.startswith("Sí. También talleres. Los servicios") and second.endswith("Fin.")
    assert chunk_windows(chunk, 0) == []
    (short,) = chunk_document(
        _document("Artículo 1.- Llama al 911. Es gratuito."), ChunkingConfig()
    )
    assert chunk_windows(short, 80) == []  # one window would repeat the passage's own vector
