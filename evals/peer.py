"""The peer: the llama-index quickstart recipe a user would pick instead of this project.

SimpleDirectoryReader, the default SentenceSplitter (1024/200), a VectorStoreIndex with the
same embedding model we use, top-5 retrieval, and the top passage as the answer. No LLM: the
comparison is about finding and citing the right passage."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.embedding import Embedder


def _llama_embedding(embedder: Embedder) -> Any:
    from llama_index.core.embeddings import BaseEmbedding

    class _Adapter(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed([query], "query")[0].tolist()  # type: ignore[no-any-return]

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed([text], "passage")[0].tolist()  # type: ignore[no-any-return]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts, "passage").tolist()  # type: ignore[no-any-return]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return _Adapter(model_name=embedder.name, embed_batch_size=32)


def _pdf_reader() -> Any:
    """One Document per page with `page_label`, as llama-index-readers-file's PDFReader does;
    that package pins pypdf<7, which this project cannot take."""
    from llama_index.core import Document
    from llama_index.core.readers.base import BaseReader

    class _PDFReader(BaseReader):
        def load_data(self, file: Path, extra_info: dict[str, Any] | None = None) -> list[Any]:
            from pypdf import PdfReader

            from index.pdf import quiet_pypdf

            with quiet_pypdf():
                texts = [page.extract_text() or "" for page in PdfReader(str(file)).pages]
            return [
                Document(text=text, metadata={"page_label": str(number), **(extra_info or {})})
                for number, text in enumerate(texts, start=1)
            ]

    return _PDFReader()


class QuickstartPeer:
    """Builds the quickstart index over `corpus_dirs` and answers with its top passage."""

    def __init__(self, corpus_dirs: Sequence[Path], embedder: Embedder, k: int = 10) -> None:
        from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.llms import MockLLM

        Settings.llm = MockLLM()  # never the OpenAI default
        Settings.embed_model = _llama_embedding(embedder)
        started = time.perf_counter()
        documents = []
        for folder in corpus_dirs:
            reader = SimpleDirectoryReader(
                str(folder),
                recursive=True,
                exclude=["manifest.toml"],
                file_extractor={".pdf": _pdf_reader()},
            )
            documents.extend(reader.load_data(show_progress=False))
        self._index = VectorStoreIndex.from_documents(documents)
        self._retriever = self._index.as_retriever(similarity_top_k=k)
        self.build_seconds = time.perf_counter() - started

    def answer_json(self, question: str, history: Sequence[str] = ()) -> dict[str, Any]:
        """The same result shape as `Answer.to_json()`."""
        started = time.perf_counter()
        nodes = self._retriever.retrieve(" ".join([*history[-1:], question]))
        retrieved = [
            {
                "rank": rank,
                "doc_id": n.node.ref_doc_id or "",
                "title": n.node.metadata.get("file_name", ""),
                "source": n.node.metadata.get("file_name", ""),
                "page": n.node.metadata.get("page_label"),
                "text": n.node.get_content(),
                "score": float(n.score or 0.0),
            }
            for rank, n in enumerate(nodes, start=1)
        ]
        top = retrieved[0] if retrieved else None
        citations = (
            [
                {
                    "key": "1",
                    **{k: top[k] for k in ("doc_id", "title", "source", "page", "text")},
                    "quote": top["text"],
                }
            ]
            if top
            else []
        )
        return {
            "question": question,
            "answer": f"{top['text']} [1]" if top else "",
            "answered": bool(top),
            "citations": citations,
            "retrieved": retrieved,
            "latency_s": round(time.perf_counter() - started, 4),
        }
