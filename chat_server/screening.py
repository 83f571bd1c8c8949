"""The screener the worker runs: the rules, plus a learned recall net when it is installed.

``screen(text)`` is the one entry point for any patient text (a session message, a
message between sessions, a free-text answer); ``Screener.screen_many`` screens a batch.

Rules (:func:`clinical.risk.screen_text`) run on every message. The encoder
(:mod:`chat_server.encoder`, all-MiniLM-L6-v2 in NumPy) embeds each message
and :mod:`clinical.risk_model` decides; :func:`clinical.risk_model.combine`
keeps every rule finding and adds one when the rules are silent and the model
is confident. Without the model package, or without NumPy, the screener runs
the rules alone and logs one warning.

Runs in the worker process (the encoder takes ~100 MB and tens of ms per
message), never in the web process.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinical import risk
from clinical.risk import Screening, Source, screen_text

if TYPE_CHECKING:
    from chat_server.encoder import Encoder
    from clinical.risk_model import RiskModel

log = logging.getLogger(__name__)

WEIGHTS = Path(risk.__file__).resolve().parent / "risk_model_weights.json"
_LONG_WORDS = 80  # past about this many words the encoder (128 tokens) cuts the message
_warned = threading.Lock()
_warned_once: list[bool] = []


@lru_cache(maxsize=1)
def _load() -> tuple[Encoder, RiskModel] | None:
    """The encoder and the heads, built once per process (both are read-only)."""
    try:
        from chat_server.encoder import Adapter, Encoder, EncoderUnavailable
        from clinical.risk_model import RiskModel
    except ImportError as e:
        _warn(f"risk model disabled, rules only: {e}")
        return None
    try:
        doc = json.loads(WEIGHTS.read_text())
        model = RiskModel.from_json(doc)
        # the heads were trained on the adapted encoder's vectors: the two ship together
        adapter = Adapter.from_json(doc["encoder_adapter"]) if "encoder_adapter" in doc else None
        encoder = Encoder(adapter=adapter)
    except (EncoderUnavailable, OSError, ValueError, KeyError) as e:
        _warn(f"risk model disabled, rules only: {e}")
        return None
    return encoder, model


def _warn(message: str) -> None:
    with _warned:
        if not _warned_once:
            _warned_once.append(True)
            log.warning(message)


class Screener:
    """Screens patient text. Build it off the event loop: loading the model takes seconds."""

    def __init__(self, *, use_model: bool = True) -> None:
        self._model = _load() if use_model else None

    @property
    def uses_model(self) -> bool:
        return self._model is not None

    def screen(self, text: str, source: Source = Source.SESSION) -> Screening:
        return self.screen_many([text], source)[0]

    def screen_many(self, texts: Sequence[str], source: Source = Source.SESSION,
                    rules: Sequence[Screening] | None = None) -> list[Screening]:
        """``rules``: the rules' verdicts on ``texts`` when the caller already has them."""
        rules = [screen_text(t, source) for t in texts] if rules is None else list(rules)
        if self._model is None or not texts:
            return rules
        from clinical.risk_model import chunks, combine, split_sentences

        encoder, model = self._model
        live = [i for i, t in enumerate(texts) if t and t.strip()]
        whole = encoder.encode([texts[i] for i in live])
        # A second pass for the sentences of multi-sentence messages (chunks of
        # long ones): one risky sentence can flag, and the riskiest is the trigger.
        parts_of: dict[int, tuple[str, ...]] = {}
        for row, i in enumerate(live):
            sentences = split_sentences(texts[i])
            if len(texts[i].split()) > _LONG_WORDS:
                parts_of[row] = chunks(sentences)
            elif not rules[i].is_risk and len(sentences) > 1:
                parts_of[row] = sentences
        flat = [p for row in sorted(parts_of) for p in parts_of[row]]
        part_vecs = encoder.encode(flat) if flat else whole[:0]
        out = list(rules)
        k = 0
        for row, i in enumerate(live):
            parts: list[tuple[str, Any]] = []
            for p in parts_of.get(row, ()):
                parts.append((p, part_vecs[k]))
                k += 1
            truncated = len(texts[i].split()) > _LONG_WORDS
            assessment = model.assess(
                whole[row], parts, truncated=truncated, text=texts[i], source=source
            )
            out[i] = combine(rules[i], assessment)
        return out


def screen(text: str, source: Source = Source.SESSION) -> Screening:
    """Screen one piece of patient text with the whole screener (rules and model).

    The first call loads the model (seconds); later calls reuse it (:func:`_load`)."""
    return Screener().screen(text, source)
