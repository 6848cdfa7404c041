"""The danger-message set (evals/danger_messages.jsonl) through the whole assistant on the
default corpus, with the real embedding model: every message describing danger opens with 911
and a service that fits her situation, shows none of the passages named as unfit for her, and
no message asking about violence in general gets the crisis box."""

from __future__ import annotations

import pytest

from assistant.core import build_assistant
from assistant.settings import Settings
from evals.danger import load_messages, run

pytestmark = pytest.mark.slow


def test_the_danger_message_set_passes(default_corpus_settings: Settings) -> None:
    assistant, _ = build_assistant(default_corpus_settings)
    messages = load_messages()
    assert len(messages) >= 30 and any(not m.in_danger for m in messages)
    assert run(assistant, messages) == {}
