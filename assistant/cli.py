"""`asistente`: index the corpus, ask questions, list sources, evaluate, serve the chat window.

The CLI is the composition root: it builds Settings once and passes them down. Heavy imports
(torch, chromadb, gradio) happen inside commands so `--help` is instant."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

if TYPE_CHECKING:
    from assistant.settings import Settings
    from index.indexing import Progress

app = typer.Typer(
    help="Asistente de consulta sobre derechos de las mujeres, programas y convenios en México.",
    no_args_is_help=True,
    add_completion=False,
)

CorpusOption = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer needs Optional here
    typer.Option("--corpus", help="Carpeta de documentos (se puede repetir)."),
]
StoreOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--store", help="Carpeta del índice (por defecto, la de la configuración)."),
]


def load_settings(corpus: list[Path] | None = None, store: Path | None = None) -> Settings:
    """Settings from the environment and asistente.toml, with command-line overrides."""
    from assistant.settings import Settings

    settings = Settings()
    if corpus:
        settings.corpus.dirs = [p.resolve() for p in corpus]
    if store:
        settings.store.path = store.resolve()
    return settings


def _progress_bar() -> tuple[Progress, object]:
    from tqdm import tqdm

    bar = tqdm(total=0, unit="doc", desc="Indexando", file=sys.stderr, leave=True)

    def update(done: int, total: int, source: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(source[-40:], refresh=False)
        bar.refresh()

    return update, bar


def _fail(message: str) -> NoReturn:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=2)


def _build(  # type: ignore[no-untyped-def]
    settings: Settings, index: bool = True, show_summary: bool = True, skip_busy: bool = False
):
    """The assistant, after bringing the index up to date with `index`. Another indexer at work
    on the store is an error, or with `skip_busy` a warning (questions are then answered from
    the store as it stands: readers do not need the indexing lock)."""
    from assistant.core import build_assistant
    from index.indexing_lock import IndexingBusyError
    from index.store import StoreMismatchError

    progress, bar = _progress_bar() if index else (None, None)
    try:
        assistant, report = build_assistant(
            settings, index=index, progress=progress, skip_busy=skip_busy
        )
    except (StoreMismatchError, IndexingBusyError) as error:
        _fail(str(error))
    finally:
        if bar is not None:
            bar.close()  # type: ignore[attr-defined]
    if report is not None and show_summary:
        typer.echo(report.summary(), err=True)
    return assistant, report


@app.command()
def index(
    corpus: CorpusOption = None,
    store: StoreOption = None,
    rebuild: Annotated[bool, typer.Option(help="Borrar el índice y construirlo de nuevo.")] = False,
) -> None:
    """Indexa (o actualiza) los documentos del corpus."""
    from assistant.core import indexing_lock
    from index.indexing_lock import IndexingBusyError

    settings = load_settings(corpus, store)
    try:
        # One hold across the rebuild and the indexing: no other indexer can slip in between.
        with indexing_lock(settings).hold():
            if rebuild:
                _reset_store(settings)
            _, report = _build(settings)
    except IndexingBusyError as error:
        _fail(str(error))
    if report is not None and report.failed:
        raise typer.Exit(code=1)


def _reset_store(settings: Settings) -> None:
    from assistant.core import build_embedder, open_store, quiet_environment

    quiet_environment()
    try:
        open_store(settings, build_embedder(settings.embedding)).reset()
    except Exception:  # a mismatched store is exactly what --rebuild is for
        from index.store import connect

        s = settings.store
        connect(s.backend, s.path, s.host, s.port, s.token).delete_collection(s.collection)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="La pregunta, entre comillas.")],
    as_json: Annotated[bool, typer.Option("--json", help="Salida en JSON.")] = False,
    history: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--history", help="Pregunta anterior de la conversación (se puede repetir)."),
    ] = None,
    corpus: CorpusOption = None,
    store: StoreOption = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="No actualizar el índice.")] = False,
    generator: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--generator", help="extractive (citas textuales) o llm (modelo de lenguaje)"),
    ] = None,
    audience: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--audience", help="ciudadania, personal o capacitacion."),
    ] = None,
) -> None:
    """Responde una pregunta con citas de los documentos."""
    settings = load_settings(corpus, store)
    if generator:
        settings.answer.generator = _choice(generator, GENERATORS, "--generator")  # type: ignore[assignment]
    if audience:
        from assistant.audiences import AUDIENCE_KEYS

        settings.answer.audience = _choice(audience, AUDIENCE_KEYS, "--audience")  # type: ignore[assignment]
    assistant, _ = _build(settings, index=not no_index, show_summary=False, skip_busy=True)
    stream = not as_json and settings.answer.generator == "llm"
    answer = assistant.answer(
        question,
        history or (),
        on_token=_echo_piece if stream else None,
        on_guidance=(lambda g: typer.echo(f"{g.text}\n")) if stream else None,
    )
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    typer.echo("" if stream else answer.full_text)
    if answer.all_citations:
        typer.echo("\nFuentes:")
    for citation in answer.all_citations:
        chunk = citation.chunk
        where = ", ".join(
            part
            for part in (
                chunk.institution,
                chunk.date,
                f"p. {chunk.page}" if chunk.page else "",
                chunk.heading,
            )
            if part
        )
        typer.echo(
            f"[{citation.key}] {chunk.title} ({where})"
            if where
            else f"[{citation.key}] {chunk.title}"
        )
        typer.echo(f"    «{citation.quote}»")


GENERATORS = ("extractive", "llm")


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        _fail(f"{option} debe ser {' o '.join(allowed)}, no `{value}`")
    return value


def _echo_piece(piece: str) -> None:
    typer.echo(piece, nl=False)


@app.command()
def sources(
    corpus: CorpusOption = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Salida en JSON.")] = False,
) -> None:
    """Lista los documentos indexados."""
    settings = load_settings(corpus, store)
    assistant, _ = _build(settings, index=False)
    documents = list(assistant.documents.values())
    if as_json:
        typer.echo(json.dumps([d.__dict__ for d in documents], ensure_ascii=False, indent=2))
        return
    if not documents:
        typer.echo("El índice está vacío: ejecute `asistente index`.")
    for d in documents:
        state = "" if d.complete else "  (incompleto: vuelva a indexar)"
        fields = [d.source, d.title, d.institution or "—", d.date or "—", f"{d.chunks} pasajes"]
        typer.echo("  ·  ".join(fields) + state)


@app.command("eval")
def evaluate(
    questions: Annotated[Path, typer.Option("--questions", help="Archivo de preguntas (JSONL).")],
    corpus: CorpusOption = None,
    out: Annotated[Path, typer.Option("--out", help="Carpeta de resultados.")] = Path("evals/out"),
    retriever: Annotated[str, typer.Option("--retriever", help="hybrid, dense o bm25.")] = "hybrid",
    generator: Annotated[str, typer.Option("--generator", help="extractive o llm.")] = "extractive",
    k: Annotated[int, typer.Option("--k", help="Pasajes por pregunta.")] = 5,
    store: StoreOption = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="BM25, denso, híbrido y el peer de llama-index.")
    ] = False,
    minimum: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--min", help="Mínimo de calidad, p. ej. recall@5=0.9 (se puede repetir)."),
    ] = None,
    split: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--split",
            help="Solo las preguntas de una mitad del corpus: ajuste o reservada "
            "(sin la opción, todas; el informe da siempre las dos mitades).",
        ),
    ] = None,
) -> None:
    """Evalúa las respuestas con un conjunto fijo de preguntas."""
    # The CLI is the composition root: the evaluation package is loaded only for this command.
    from evals.command import parse_floors, run_eval

    settings = load_settings(corpus)
    settings.retrieval.mode = retriever  # type: ignore[assignment]
    settings.answer.generator = _choice(generator, GENERATORS, "--generator")  # type: ignore[assignment]
    if not questions.is_file():
        _fail(f"no existe el archivo de preguntas `{questions}`")
    half = _choice(split, ("ajuste", "reservada"), "--split") if split else None
    floors = parse_floors(minimum or [])
    code = run_eval(settings, questions, out, k, compare, store, floors, half)  # type: ignore[arg-type]
    raise typer.Exit(code=code)


@app.command()
def serve(
    host: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--host", help="Dirección (por defecto 127.0.0.1: solo esta computadora)."),
    ] = None,
    port: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--port", help="Puerto (por defecto 7860)."),
    ] = None,
    corpus: CorpusOption = None,
    store: StoreOption = None,
) -> None:
    """Sirve la ventana de conversación en http://127.0.0.1:7860; la ventana abre enseguida y
    el índice se pone al día detrás de ella."""
    import os

    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    settings = load_settings(corpus, store)
    assistant, _ = _build(settings, index=False, show_summary=False)
    from ui.app import build_app
    from ui.app import serve as run_window

    progress, _bar = _progress_bar()

    host = host or settings.ui.host
    port = port or settings.ui.port
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"Asistente disponible en http://{shown}:{port}/ (Ctrl+C para salir)", err=True)
    run_window(build_app(assistant, prepare=True, terminal=progress), assistant, host, port)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
