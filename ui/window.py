"""What the chat window does, apart from drawing it: stream answers from a worker thread, keep
feedback, write exports, show and change the library. Shared by every browser session of one
server; gradio is not imported here (app.py wires these methods to components)."""

from __future__ import annotations

import hmac
import logging
import queue
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer import Answer, Guidance
from assistant.audiences import Audience
from index.indexing_lock import IndexingBusyError
from ui.conversation import Turn, history
from ui.export import conversation_docx, conversation_markdown
from ui.feedback import FeedbackStore
from ui.library import (
    LibraryError,
    add_document,
    check_upload,
    library_rows,
    library_table,
    withdraw_document,
)
from ui.upload_metadata import DocumentCard, guess_card

if TYPE_CHECKING:
    from assistant.core import Assistant
    from index.indexing import IndexReport, Progress

_DONE = object()


@dataclass(frozen=True)
class Partial:
    """An answer as far as it has come: the crisis guidance once it exists, the text written
    so far, and the Answer when it is done."""

    guidance: Guidance | None = None
    text: str = ""
    answer: Answer | None = None


@dataclass(frozen=True)
class Upload:
    """A file handed over by the browser: where it was saved, the name it had, and its card
    as staff confirmed it (None: the document's own title, nothing else)."""

    path: Path
    filename: str
    card: DocumentCard | None = None


# What staff see while the library is re-indexed: the share done (0 to 1) and a sentence.
Status = Callable[[float, str], None]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preparation:
    """How far the first indexing, running behind the open window, has gone."""

    done: int
    total: int

    @property
    def banner(self) -> str:
        if not self.total:
            return "Preparando la biblioteca…"
        return f"Preparando la biblioteca: {self.done} de {self.total} documentos"

    @property
    def notice(self) -> str:
        counted = f" ({self.done} de {self.total} documentos)" if self.total else ""
        return (
            f"La biblioteca todavía se está preparando{counted}: esta respuesta usa solo lo "
            "ya indexado. Vuelve a preguntar en unos minutos para una respuesta completa."
        )


class IndexAccess:
    """Answers read the index side by side (`with access.reading():`); a re-indexing holds it
    alone (`with access:`), after the answers under way, so that retrieval never sees a
    half-refreshed index. A waiting re-indexing goes before answers asked after it, so a stream
    of questions cannot put it off forever."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    def __enter__(self) -> None:
        with self._changed:
            self._writers_waiting += 1
            self._changed.wait_for(lambda: not self._writing and not self._readers)
            self._writers_waiting -= 1
            self._writing = True

    def __exit__(self, *exc_info: object) -> None:
        with self._changed:
            self._writing = False
            self._changed.notify_all()


class Window:
    """The server side of the chat window: one per running app, shared by its sessions."""

    def __init__(
        self, assistant: Assistant, report: IndexReport | None = None, files: Path | None = None
    ) -> None:
        """`files` is the folder under which exports are written (the web framework's own file
        cache, so that it serves them without keeping copies of its own); a temporary folder
        when not given."""
        self.assistant = assistant
        self.failed: dict[str, str] = dict(report.failed) if report else {}
        self.feedback = FeedbackStore(assistant.settings.ui.feedback_db)
        # Answers and re-indexing never overlap: retrieval must not see a half-refreshed index.
        # Answers may overlap each other; how many at once is the app's concurrency limit.
        self.lock = IndexAccess()
        # set while `prepare` indexes behind the open window; None once the library is ready
        self.preparation: Preparation | None = None
        if files is not None:
            files.mkdir(parents=True, exist_ok=True)
        self._files = tempfile.TemporaryDirectory(prefix="asistente-ventana-", dir=files)

    @property
    def staff_enabled(self) -> bool:
        return bool(self.assistant.settings.ui.staff_password)

    def check_password(self, attempt: str) -> bool:
        """Whether `attempt` is the staff password (never true when none is set)."""
        expected = self.assistant.settings.ui.staff_password
        return bool(expected) and hmac.compare_digest(attempt.encode(), expected.encode())

    def stream(self, question: str, turns: Sequence[Turn], audience: Audience) -> Iterator[Partial]:
        """Answer `question` after the conversation `turns`, yielding what there is so far
        while the generator writes, and finally the whole Answer."""
        events: queue.Queue[object] = queue.Queue()
        outcome: dict[str, object] = {}

        def work() -> None:
            try:
                with self.lock.reading():
                    outcome["answer"] = self.assistant.answer(
                        question,
                        history(turns),
                        audience=audience,
                        on_token=events.put,
                        on_guidance=events.put,
                    )
            except Exception as error:  # shown to the reader, not lost in a thread
                outcome["error"] = error
            finally:
                events.put(_DONE)

        threading.Thread(target=work, name="asistente-respuesta", daemon=True).start()
        partial = Partial()
        done = False
        while not done:
            pieces = [events.get()]
            while not events.empty():  # take everything already written in one update
                pieces.append(events.get_nowait())
            done = pieces[-1] is _DONE
            for piece in pieces:
                if isinstance(piece, Guidance):
                    partial = replace(partial, guidance=piece)
                elif isinstance(piece, str):
                    partial = replace(partial, text=partial.text + piece)
            if not done:
                yield partial
        error = outcome.get("error")
        if isinstance(error, Exception):
            raise error
        answer = outcome["answer"]
        assert isinstance(answer, Answer)
        answer = self.noted(answer)
        yield Partial(answer.guidance, answer.text, answer)

    def noted(self, answer: Answer) -> Answer:
        """`answer`, saying so when it was drawn from a library still being prepared."""
        preparation = self.preparation
        return replace(answer, notice=preparation.notice) if preparation else answer

    def prepare(
        self, terminal: Progress | None = None, refresh_every: float = 10.0
    ) -> threading.Thread:
        """Index the corpus behind the open window (a first run, new files): answers go on
        from what is already stored, which retrieval takes up each time a batch of documents
        is stored (at most every `refresh_every` seconds), and `preparation` says how far it
        has gone. `terminal` is the console's progress bar."""
        self.preparation = Preparation(0, 0)
        thread = threading.Thread(
            target=self._prepare,
            args=(terminal, refresh_every),
            name="asistente-biblioteca",
            daemon=True,
        )
        thread.start()
        return thread

    def _prepare(self, terminal: Progress | None, refresh_every: float) -> None:
        store = self.assistant.store
        seen, refreshed = store.count(), time.monotonic()

        def progress(done: int, total: int, source: str) -> None:
            nonlocal seen, refreshed
            self.preparation = Preparation(done, total)
            if terminal:
                terminal(done, total, source)
            stored = store.count()
            if stored != seen and (not seen or time.monotonic() - refreshed >= refresh_every):
                with self.lock:
                    self.assistant.refresh()
                seen, refreshed = stored, time.monotonic()

        try:
            report = self.assistant.index(progress)
            if self.assistant.stale(report):
                with self.lock:
                    self.assistant.refresh()
            self.failed = dict(report.failed)
            print(f"\n{report.summary()}", file=sys.stderr, flush=True)
        except IndexingBusyError as error:
            log.warning("%s Mientras tanto se responde con el índice tal como está.", error)
        except Exception:  # the window stays up and answers from what is indexed
            log.exception("No se pudo terminar de preparar la biblioteca")
        finally:
            self.preparation = None

    def _session_folder(self, session: str) -> Path:
        return Path(self._files.name) / ("".join(ch for ch in session if ch.isalnum())[:40] or "_")

    def export(self, turns: Sequence[Turn], session: str) -> tuple[Path, Path]:
        """Write the conversation as Markdown and Word files for one session's downloads. Each
        length of conversation gets its own folder (a browser never gets an old copy from its
        cache), and the earlier ones of the session are removed."""
        session_folder = self._session_folder(session)
        if session_folder.is_dir():
            for earlier in session_folder.iterdir():
                shutil.rmtree(earlier, ignore_errors=True)
        folder = session_folder / str(len(turns))
        folder.mkdir(parents=True, exist_ok=True)
        markdown = folder / "conversacion.md"
        word = folder / "conversacion.docx"
        markdown.write_text(conversation_markdown(turns), encoding="utf-8")
        word.write_bytes(conversation_docx(turns))
        return markdown, word

    def forget(self, session: str) -> None:
        """Remove everything the window wrote for one session (its exported conversation)."""
        shutil.rmtree(self._session_folder(session), ignore_errors=True)

    def feedback_csv(self) -> Path:
        """The feedback table as a CSV file (UTF-8 with BOM, which spreadsheets recognize)."""
        path = Path(self._files.name) / "opiniones.csv"
        path.write_text(self.feedback.to_csv(), encoding="utf-8-sig")
        return path

    def library(self) -> str:
        """The library table (HTML) as the index stands now."""
        return library_table(library_rows(self.assistant.documents, self.failed))

    def removable(self) -> list[tuple[str, str]]:
        """(label, source) of every indexed document, for the staff's remove list."""
        return [
            (f"{d.title or d.source} ({d.source})", d.source)
            for d in sorted(self.assistant.documents.values(), key=lambda d: d.source)
        ]

    def reindex(self, progress: Progress | None = None) -> IndexReport:
        """Bring the index up to date with the corpus folders; answers wait meanwhile."""
        with self.lock:
            report = self.assistant.reindex(progress)
        self.failed = dict(report.failed)
        return report

    def inspect(self, upload: Upload) -> DocumentCard:
        """The card an uploaded file suggests for itself, for staff to check before adding it;
        LibraryError (Spanish) when the file cannot be added at all."""
        document = check_upload(
            upload.path,
            upload.filename,
            self.assistant.documents,
            self.assistant.settings.ui.max_upload_mb * 1_000_000,
        )
        return guess_card(document)

    def add(
        self,
        uploads: Sequence[Upload],
        metadata: Mapping[str, str] | None = None,
        status: Status | None = None,
    ) -> str:
        """Check and save uploaded files into the first corpus folder with their cards in its
        manifest, index them, and say what happened (Spanish Markdown). `metadata` is the card
        of a single upload that brings none. `status` hears how indexing goes, counted in
        uploaded documents («Indexando 2 de 3 documentos»)."""
        try:
            # Held from saving to indexing: while another process indexes this store, nothing
            # is saved, and staff are told to try again (rather than files left unindexed).
            with self.assistant.store.lock.hold():
                return self._add(uploads, metadata, status)
        except IndexingBusyError as error:
            return f"✗ No se agregó ningún archivo. {error}"

    def _add(
        self,
        uploads: Sequence[Upload],
        metadata: Mapping[str, str] | None,
        status: Status | None,
    ) -> str:
        settings = self.assistant.settings
        corpus = settings.corpus.dirs[0]
        lines: list[str] = []
        added = []
        for upload in uploads:
            card = upload.card.as_metadata() if upload.card else None
            try:
                one = add_document(
                    upload.path,
                    upload.filename,
                    corpus,
                    self.assistant.documents,
                    settings.ui.max_upload_mb * 1_000_000,
                    card or (metadata if len(uploads) == 1 else None),
                )
            except LibraryError as error:
                lines.append(f"- ✗ {error}")
                continue
            added.append(one)
        if added:
            sources = [one.path.relative_to(corpus).as_posix() for one in added]
            report = self.reindex(counted(status, sources) if status else None)
            for one in added:
                source = one.path.relative_to(corpus).as_posix()
                stored = self.assistant.documents.get(source)
                if stored is not None:
                    lines.append(
                        f"- ✓ «{stored.title}» (`{source}`): {stored.chunks} "
                        f"{'pasaje indexado' if stored.chunks == 1 else 'pasajes indexados'}; "
                        "ya se puede preguntar sobre él."
                    )
                else:
                    reason = report.failed.get(source, "no se pudo indexar")
                    lines.append(f"- ✗ `{source}`: {reason}")
        return "\n".join(lines) or "No se eligió ningún archivo."

    def withdraw(self, source: str, status: Status | None = None) -> str:
        """Take a document out of the library and the index; say where its file went."""
        try:
            with self.assistant.store.lock.hold():
                return self._withdraw(source, counted(status, []) if status else None)
        except IndexingBusyError as error:
            return f"✗ No se retiró el documento. {error}"

    def _withdraw(self, source: str, progress: Progress | None) -> str:
        stored = self.assistant.documents.get(source)
        if stored is None:
            return "Ese documento ya no está en la biblioteca."
        try:
            moved = withdraw_document(stored, self.assistant.settings.corpus.dirs)
        except LibraryError as error:
            return f"✗ {error}"
        self.reindex(progress)
        return (
            f"✓ Se retiró «{stored.title}». El archivo se guardó en `{moved}` "
            "por si hay que recuperarlo."
        )

    def close(self) -> None:
        self._files.cleanup()


def counted(status: Status, sources: Sequence[str]) -> Progress:
    """An indexing progress callback that tells `status` about `sources` only (the documents
    just uploaded): «Indexando 2 de 3 documentos», never the names of the others the indexer
    looks at on the way; without sources, «Actualizando el índice». «Índice al día» at the end."""
    wanted = set(sources)
    seen: set[str] = set()

    def report(done: int, total: int, source: str) -> None:
        if done >= total and not source:
            status(1.0, "Índice al día")
            return
        if not wanted:
            status(done / max(total, 1), "Actualizando el índice")
            return
        if source in wanted:
            seen.add(source)
        current = max(1, len(seen))
        noun = "documento" if len(wanted) == 1 else "documentos"
        status((current - 1) / len(wanted), f"Indexando {current} de {len(wanted)} {noun}")

    return report
