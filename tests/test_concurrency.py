"""How the window shares the machine between people: answers side by side (a few with the
extractive generator, one at a time with a language model), re-indexing alone, and torch kept
to one thread beside a language model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from assistant.core import leave_cores_to_the_model
from assistant.settings import EmbeddingSettings, Settings
from ui.app import answer_queue
from ui.window import IndexAccess


def test_answers_overlap_and_reindexing_waits_for_them_then_goes_alone() -> None:
    access = IndexAccess()
    events: list[str] = []

    def answer(name: str, together: threading.Barrier | None = None) -> None:
        with access.reading():
            events.append(f"{name} reads")
            if together:
                together.wait()  # times out unless both answers are inside at once
            time.sleep(0.2)
            events.append(f"{name} done")

    def reindex() -> None:
        with access:
            events.append("reindex starts")
            time.sleep(0.2)
            events.append("reindex ends")

    pair = threading.Barrier(2, timeout=5)
    threads = [threading.Thread(target=answer, args=(name, pair)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    while len(events) < 2:
        time.sleep(0.01)
    threads.append(threading.Thread(target=reindex))
    threads[-1].start()
    time.sleep(0.05)
    threads.append(threading.Thread(target=answer, args=("c",)))  # asked while reindex waits
    threads[-1].start()
    for thread in threads:
        thread.join(timeout=10)
    assert set(events[:2]) == {"a reads", "b reads"}
    assert set(events[2:4]) == {"a done", "b done"}
    assert events[4:] == ["reindex starts", "reindex ends", "c reads", "c done"]


def test_a_language_model_answers_one_at_a_time_the_extractive_generator_several() -> None:
    settings = Settings()
    settings.answer.generator = "llm"
    assert answer_queue(settings) == {"concurrency_id": "asistente", "concurrency_limit": 1}
    settings.answer.generator = "extractive"
    assert 1 <= answer_queue(settings)["concurrency_limit"] <= 4


def test_torch_keeps_to_one_thread_beside_a_language_model() -> None:
    import torch

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        leave_cores_to_the_model(EmbeddingSettings(threads=2))  # a number chosen is kept
        assert torch.get_num_threads() == 2
        leave_cores_to_the_model(EmbeddingSettings())
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_every_event_of_the_answer_group_carries_the_limit(tmp_path: Path) -> None:
    from tests.test_ui_api import planted_assistant
    from ui.app import build_app

    assistant, report = planted_assistant(tmp_path)
    app = build_app(assistant, report)
    grouped = [fn for fn in app.fns.values() if fn.concurrency_id == "asistente"]
    # chat (button, Enter, examples), the JSON API, uploads and withdrawals: one limit for all,
    # since Gradio gives a group the lowest limit among its events
    assert len(grouped) >= 5
    limit = answer_queue(assistant.settings)["concurrency_limit"]
    assert {fn.concurrency_limit for fn in grouped} == {limit}
