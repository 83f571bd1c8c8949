"""Fine-tune the risk screener's encoder with LoRA and write the adapter.

    .venv-train/bin/python scripts/finetune_risk_encoder.py --fold all|0..4 --out PATH.json

Round 12 (docs/risk-evaluation.md): better ranking out of fold, a wash on the unseen
probes, so the shipped weights carry no adapter. Needs PyTorch at training time only
(``scripts/train_risk.sh`` makes the ``.venv-train`` it runs in: torch 2.13.0 CPU, NumPy,
tokenizers, safetensors). The screener never imports torch: it merges the adapter into
all-MiniLM-L6-v2's weights in NumPy (``chat_server.encoder.Adapter``).

What is learned (the defaults; --rank, --targets and --epochs try others): rank-8
additions to the query and value projections of all six layers (78k numbers; the
model's 22.7M stay as published), with three linear heads on the mean-pooled,
L2-normalised embedding trained beside them: P(risk), and for risk rows severity and
category. The heads are thrown away; ``scripts/train_risk_model.py`` trains the
shipped heads on the adapted embeddings.
Rows: the labelled sets and everyday lines of ``train_risk_model.TRAIN_SETS``; with
``--fold k``, all but that script's fold k, so its out-of-fold scores stay out of fold
(the encoder never saw the message it scores).

The forward pass below is the one in ``chat_server/encoder.py``, in torch so that it
has gradients. Through the same adapter the two gave the same vectors (largest
difference 3e-7 over 300 messages; 2e-5 after the adapter's float16 rounding).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import load_file
from tokenizers import Tokenizer
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_risk_model as trainer  # noqa: E402

from chat_server.encoder import DIM, MAX_TOKENS, PROJECTIONS, Adapter, model_dir  # noqa: E402
from clinical.risk import Category, Severity  # noqa: E402

RANK = 8
TARGETS = ("query", "value")
EPOCHS = 3
LEARNING_RATE = 1e-3
BATCH = 32
SEED = 0
SEVERITIES = [s.value for s in Severity]
CATEGORIES = [c.value for c in Category]
_HEADS = 12
_HD = DIM // _HEADS


class _Lora(nn.Module):
    """weight x + bias + (b a x) * alpha / rank; weight and bias frozen, b starts at 0."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, rank: int) -> None:
        super().__init__()
        self.weight, self.bias = weight, bias
        self.a = nn.Parameter(torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1]))  # torch's seeded RNG
        self.b = nn.Parameter(torch.zeros(weight.shape[0], rank))
        self.scale = 2.0  # alpha = 2 x rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias) + (x @ self.a.T @ self.b.T) * self.scale


class _Frozen(nn.Module):
    def __init__(self, weight: torch.Tensor, bias: torch.Tensor) -> None:
        super().__init__()
        self.weight, self.bias = weight, bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias)


class _Bert(nn.Module):
    def __init__(self, w: dict[str, torch.Tensor], rank: int, targets: tuple[str, ...]) -> None:
        super().__init__()
        self.w = w
        self.layers = nn.ModuleList()
        for i in range(6):
            m = nn.ModuleDict()
            for name, path in PROJECTIONS.items():
                weight, bias = w[f"encoder.layer.{i}.{path}.weight"], w[f"encoder.layer.{i}.{path}.bias"]
                m[name] = _Lora(weight, bias, rank) if name in targets else _Frozen(weight, bias)
            self.layers.append(m)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        w = self.w
        b, n = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = F.layer_norm(x, (DIM,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
        bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
        for i, m in enumerate(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = (m[name](x).view(b, n, _HEADS, _HD).transpose(1, 2) for name in ("query", "key", "value"))
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(_HD) + bias, -1)
            ctx = (att @ v).transpose(1, 2).reshape(b, n, DIM)
            x = F.layer_norm(m["attention_output"](ctx) + x, (DIM,), w[p + "attention.output.LayerNorm.weight"],
                             w[p + "attention.output.LayerNorm.bias"], 1e-12)
            h = F.gelu(m["intermediate"](x))
            x = F.layer_norm(m["output"](h) + x, (DIM,), w[p + "output.LayerNorm.weight"],
                             w[p + "output.LayerNorm.bias"], 1e-12)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
        return F.normalize(pooled, dim=-1)

    def adapter(self, rank: int) -> Adapter:
        deltas = {}
        for i, m in enumerate(self.layers):
            for name in PROJECTIONS:
                mod = m[name]
                if isinstance(mod, _Lora):
                    deltas[(i, name)] = (mod.a.detach().numpy().astype(np.float32),
                                         (mod.b.detach() * mod.scale).numpy().astype(np.float32))
        return Adapter(rank, deltas)


def rows_for(fold: str) -> list[dict[str, Any]]:
    """The training script's rows (its sets and everyday lines), less fold ``fold``."""
    rows = [r for name in trainer.TRAIN_SETS for r in trainer.load(name)] + trainer.ordinary_lines()
    if fold == "all":
        return rows
    folds = trainer.folds_of([r["text"] for r in rows])
    return [r for r, g in zip(rows, folds, strict=True) if g != int(fold)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fold", default="all", choices=["all", "0", "1", "2", "3", "4"],
                    help="leave out this fold of train_risk_model.py's 5 (all: train on every row)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the adapter (JSON)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rank", type=int, default=RANK, help=f"rank of each addition (default {RANK})")
    ap.add_argument("--targets", default=",".join(TARGETS),
                    help=f"projections to adapt, of {', '.join(PROJECTIONS)} (default {','.join(TARGETS)})")
    ap.add_argument("--epochs", type=int, default=EPOCHS, help=f"passes over the rows (default {EPOCHS})")
    args = ap.parse_args()
    targets = tuple(t for t in args.targets.split(",") if t)
    unknown = [t for t in targets if t not in PROJECTIONS]
    if unknown or not targets:
        ap.error(f"--targets: {', '.join(unknown) or 'none given'}; choose from {', '.join(PROJECTIONS)}")
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    torch.set_num_threads(args.threads)
    path = model_dir()
    w = {k: torch.from_numpy(v.astype(np.float32)) for k, v in load_file(str(path / "model.safetensors")).items()}
    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    rows = rows_for(args.fold)
    bert = _Bert(w, args.rank, targets)
    heads = nn.Linear(DIM, 1 + len(SEVERITIES) + len(CATEGORIES))
    params = [p for p in bert.parameters() if p.requires_grad] + list(heads.parameters())
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    epochs = args.epochs
    steps = epochs * math.ceil(len(rows) / BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LEARNING_RATE, total_steps=steps, pct_start=0.1)
    ids_of = {r["text"]: tok.encode(r["text"]).ids for r in rows}
    print(f"fold {args.fold}: {len(rows)} rows, {sum(p.numel() for p in params)} numbers to learn, "
          f"{epochs} epochs of {math.ceil(len(rows) / BATCH)} batches, rank {args.rank} on {', '.join(targets)}", flush=True)
    t0 = time.perf_counter()
    for epoch in range(epochs):
        # batches of similar length (little padding), in random order
        order = sorted(rows, key=lambda r: len(ids_of[r["text"]]) + rng.random() * 4)
        batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
        rng.shuffle(batches)
        total = 0.0
        for n, batch in enumerate(batches, 1):
            width = max(len(ids_of[r["text"]]) for r in batch)
            ids = torch.zeros(len(batch), width, dtype=torch.long)
            mask = torch.zeros(len(batch), width)
            for i, r in enumerate(batch):
                seq = ids_of[r["text"]]
                ids[i, : len(seq)] = torch.tensor(seq)
                mask[i, : len(seq)] = 1.0
            z = heads(bert(ids, mask) * 20.0)  # unit vectors: a fixed temperature lets the logits grow
            y = torch.tensor([1.0 if r["risk"] else 0.0 for r in batch])
            loss = F.binary_cross_entropy_with_logits(z[:, 0], y)
            sev = [i for i, r in enumerate(batch) if r["risk"] and r.get("severity") in SEVERITIES]
            if sev:
                target = torch.tensor([SEVERITIES.index(batch[i]["severity"]) for i in sev])
                loss = loss + 0.5 * F.cross_entropy(z[sev, 1 : 1 + len(SEVERITIES)], target)
            cat = [i for i, r in enumerate(batch) if r["risk"] and r.get("category") in CATEGORIES]
            if cat:
                target = torch.tensor([CATEGORIES.index(batch[i]["category"]) for i in cat])
                loss = loss + 0.5 * F.cross_entropy(z[cat, 1 + len(SEVERITIES) :], target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
            if n % 50 == 0:
                print(f"  epoch {epoch + 1}/{epochs} batch {n}/{len(batches)} loss {total / n:.3f} "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
        print(f"  epoch {epoch + 1}/{epochs} done: mean loss {total / len(batches):.4f}, "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(bert.adapter(args.rank).to_json()) + "\n")
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
