"""Chat models the assistant can write with: the local GGUF model run by llama.cpp, or any
OpenAI-compatible server (Ollama, vLLM, llama.cpp's server) through llama-index's OpenAILike.
Both stream text and count tokens; a scripted fake in the tests implements the same two
methods."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from assistant.local_model import LocalModelError, load_llama, materialize_gguf

if TYPE_CHECKING:
    from llama_cpp import Llama

    from assistant.settings import LLMSettings

# Spanish runs about 3 characters per token in the usual BPE vocabularies; used where no
# tokenizer is at hand, it overestimates slightly, which is the safe side for a budget.
_CHARS_PER_TOKEN = 3


class ChatModelError(RuntimeError):
    """The model cannot be loaded or reached; the message is Spanish and says which one."""


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


class ChatModel(Protocol):
    """What the generator and the follow-up rewriter need from a language model."""

    name: str

    def stream(
        self, messages: Sequence[ChatMessage], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        """The reply to `messages`, piece by piece, greedily decoded."""
        ...

    def count_tokens(self, text: str) -> int: ...


class LlamaCppChat:
    """A GGUF model in this process. llama.cpp keeps the previous prompt's state, so a fixed
    system prompt is read once, not per question."""

    def __init__(self, llama: Llama, name: str, temperature: float = 0.0) -> None:
        self._llama = llama
        self.name = name
        self._temperature = temperature
        self._lock = threading.Lock()  # one llama.cpp context cannot serve two chats at once

    def stream(
        self, messages: Sequence[ChatMessage], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        with self._lock:
            chunks = self._llama.create_chat_completion(
                [{"role": m.role, "content": m.content} for m in messages],  # type: ignore[misc]
                temperature=self._temperature,
                max_tokens=max_tokens,
                stop=list(stop) or None,
                stream=True,
            )
            for chunk in chunks:
                piece = chunk["choices"][0]["delta"].get("content")  # type: ignore[index,union-attr]
                if piece:
                    yield str(piece)

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """The tokens llama.cpp reads for `messages`: the model's own chat template (from its
        GGUF metadata, as `create_chat_completion` renders it) through its tokenizer. Without a
        template, the messages' contents alone."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self._llama.metadata.get("tokenizer.chat_template")
        if not template:
            return sum(self.count_tokens(m.content) for m in messages)

        def text(token: int) -> str:
            if token < 0:
                return ""
            return self._llama.detokenize([token], special=True).decode("utf-8", "replace")

        formatter = Jinja2ChatFormatter(
            template, text(self._llama.token_eos()), text(self._llama.token_bos())
        )
        rendered = formatter(messages=[{"role": m.role, "content": m.content} for m in messages])  # type: ignore[misc]
        # the template writes its own special tokens, so llama.cpp adds no BOS of its own
        return len(self._llama.tokenize(rendered.prompt.encode("utf-8"), False, special=True))


def prompt_tokens(model: ChatModel, messages: Sequence[ChatMessage]) -> int:
    """How many tokens `model` reads for `messages`: exactly for the local model (its chat
    template and tokenizer), otherwise the model's own count of each message's content."""
    if isinstance(model, LlamaCppChat):
        return model.prompt_tokens(messages)
    return sum(model.count_tokens(m.content) for m in messages)


class OpenAICompatibleChat:
    """A model behind an OpenAI-compatible HTTP API, through llama-index's OpenAILike."""

    def __init__(self, settings: LLMSettings) -> None:
        from llama_index.llms.openai_like import OpenAILike

        self.name = f"{settings.model}@{settings.base_url}"
        self._base_url = settings.base_url.rstrip("/")
        self._api_key = settings.api_key
        self._timeout = settings.timeout_s
        self._llm = OpenAILike(
            model=settings.model,
            api_base=self._base_url,
            api_key=settings.api_key or "sin-clave",
            is_chat_model=True,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout=settings.timeout_s,
            max_retries=1,
            context_window=settings.n_ctx,
        )

    def check(self) -> None:
        """Fail now, with a message a person can act on, if the server is not there."""
        import httpx

        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            response = httpx.get(f"{self._base_url}/models", headers=headers, timeout=10)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise ChatModelError(
                f"no se pudo conectar con el servidor de modelos `{self._base_url}`: {error}"
            ) from error

    def stream(
        self, messages: Sequence[ChatMessage], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage as LlamaIndexMessage

        chat = [LlamaIndexMessage(role=m.role, content=m.content) for m in messages]
        kwargs: dict[str, object] = {"max_tokens": max_tokens}
        if stop:
            kwargs["stop"] = list(stop)
        try:
            for response in self._llm.stream_chat(chat, **kwargs):
                if response.delta:
                    yield response.delta
        except Exception as error:  # the client raises its own family of transport errors
            raise ChatModelError(
                f"el servidor de modelos `{self._base_url}` falló: {error}"
            ) from error

    def count_tokens(self, text: str) -> int:
        return len(text) // _CHARS_PER_TOKEN + 1


def build_chat_model(settings: LLMSettings) -> ChatModel:
    """The configured model, loaded (or its server checked) now; raises ChatModelError."""
    if settings.backend == "openai":
        model = OpenAICompatibleChat(settings)
        model.check()
        return model
    try:
        path = settings.gguf_path or materialize_gguf(settings.cache_dir)
        llama = load_llama(path, settings.n_threads, settings.n_ctx)
    except LocalModelError as error:
        raise ChatModelError(str(error)) from error
    return LlamaCppChat(llama, path.stem, settings.temperature)
