"""A learned recall net beside the rules: logistic heads over a sentence embedding.

The rules (:mod:`clinical.risk`) are precise and explain themselves, but only
see words in their lexicons; on fresh text they miss most risk. These heads
read a 384-d sentence embedding (all-MiniLM-L6-v2, computed by an adapter) and
give a probability of risk, a severity and a category. :func:`combine` keeps
every rule finding as it is and adds a finding when the rules are silent and
the model is confident.

The rules also say when they set risk words aside (negation, history, an
idiom, someone else, a quotation: :func:`clinical.risk.false_alarm_reasons`).
Then only a strong model score flags: those filters are what a clinician would
use to dismiss the message, and the embedding cannot see them ("I'm not
suicidal" sits next to "I'm suicidal" in the vector space).

Pure: no I/O, no clock. The weights arrive as parsed JSON
(``clinical/risk_model_weights.json``, written by ``scripts/train_risk_model.py``)
and the vectors from the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clinical.risk import Category, Finding, Screening, Severity, Source, false_alarm_reasons

__all__ = [
    "Assessment",
    "Head",
    "RiskModel",
    "chunks",
    "combine",
    "split_sentences",
]

FORMAT_VERSION = 2
Vector = NDArray[np.float32]


@dataclass(frozen=True)
class Head:
    """Independent logistic outputs (one per label) over the embedding."""

    labels: tuple[str, ...]
    weights: NDArray[np.float64]  # (len(labels), dim)
    bias: NDArray[np.float64]  # (len(labels),)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], dim: int) -> Head:
        labels = tuple(str(x) for x in obj["labels"])
        weights = np.asarray(obj["weights"], dtype=np.float64)
        bias = np.asarray(obj["bias"], dtype=np.float64)
        if weights.shape != (len(labels), dim) or bias.shape != (len(labels),):
            raise ValueError(f"head shape {weights.shape} does not fit {len(labels)} x {dim}")
        return cls(labels, weights, bias)

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "weights": [[round(float(v), 6) for v in row] for row in self.weights],
            "bias": [round(float(v), 6) for v in self.bias],
        }

    def probabilities(self, x: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """Sigmoid of each label's score; ``x`` is (n, dim), the result (n, labels)."""
        z = np.asarray(x, dtype=np.float64) @ self.weights.T + self.bias
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        return out


@dataclass(frozen=True)
class Assessment:
    """What the model says about one message, with the decision already taken."""

    risk: float
    confident: bool
    category: Category
    severity: Severity
    trigger: str
    held_back: tuple[str, ...] = ()  # the rules' false-alarm reasons; only a strong score flags


@dataclass(frozen=True)
class RiskModel:
    dim: int
    risk: Head
    severity: Head  # labels are Severity values
    category: Head  # labels are Category values
    threshold: float  # flag at risk >= threshold (chosen on training folds)
    sentence_threshold: float  # one sentence of a longer message flags it on its own
    urgent_threshold: float  # URGENT when P(urgent) >= this, else the likelier of the rest
    veto_threshold: float  # when the rules set risk words aside, flag only at risk >= this

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> RiskModel:
        if obj.get("format") != FORMAT_VERSION:
            raise ValueError(f"unknown risk model format {obj.get('format')!r}")
        dim = int(obj["dim"])
        heads = obj["heads"]
        model = cls(
            dim=dim,
            risk=Head.from_json(heads["risk"], dim),
            severity=Head.from_json(heads["severity"], dim),
            category=Head.from_json(heads["category"], dim),
            threshold=float(obj["threshold"]),
            sentence_threshold=float(obj["sentence_threshold"]),
            urgent_threshold=float(obj["urgent_threshold"]),
            veto_threshold=float(obj["veto_threshold"]),
        )
        for s in model.severity.labels:
            Severity(s)
        for c in model.category.labels:
            Category(c)
        return model

    def risk_scores(self, vectors: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """P(risk) per row of ``vectors``."""
        if len(vectors) == 0:
            return np.zeros(0)
        out: NDArray[np.float64] = self.risk.probabilities(vectors)[:, 0]
        return out

    def assess(
        self,
        message: NDArray[np.floating[Any]],
        parts: Sequence[tuple[str, NDArray[np.floating[Any]]]] = (),
        *,
        truncated: bool = False,
        text: str = "",
        source: Source = Source.SESSION,
    ) -> Assessment:
        """Decide on one message from its embedding.

        ``parts`` are its sentences (or, for a long message, chunks of
        sentences) with their embeddings; the riskiest part is the trigger, so
        a clinician sees why. Mean pooling dilutes one risky sentence among
        ordinary ones ("Busy week at work. I'd like to not exist."), so a part
        may flag the message on its own: at ``sentence_threshold``, stricter
        than the message's, because a sentence loses its context ("not now");
        at ``threshold`` when the encoder cut the message (``truncated``, past
        128 tokens) and the whole was never seen.

        When the rules set risk words aside in the text that flagged (the
        message, or the part that flagged it on its own), the score must also
        reach ``veto_threshold``: "I'm not suicidal, just fed up" scores high
        for risk, and the negation is what says it is not.
        """
        whole = np.asarray(message, dtype=np.float64).reshape(1, self.dim)
        risk = float(self.risk_scores(whole)[0])
        confident = risk >= self.threshold
        trigger, basis, basis_text = text.strip(), whole, text
        if parts:
            vecs = np.vstack(
                [np.asarray(v, dtype=np.float64).reshape(1, self.dim) for _, v in parts]
            )
            scores = self.risk_scores(vecs)
            k = int(np.argmax(scores))
            trigger = parts[k][0]
            part_bar = self.threshold if truncated else self.sentence_threshold
            if not confident and scores[k] >= part_bar:
                confident, basis, basis_text = True, vecs[k : k + 1], parts[k][0]
            risk = max(risk, float(scores[k]))
        held_back = false_alarm_reasons(basis_text, source) if confident else ()
        if held_back and risk < self.veto_threshold:
            confident = False
        sev_p = self.severity.probabilities(basis)[0]
        cat_p = self.category.probabilities(basis)[0]
        return Assessment(
            risk=risk,
            confident=confident,
            category=Category(self.category.labels[int(np.argmax(cat_p))]),
            severity=self._severity(sev_p),
            trigger=trigger,
            held_back=held_back,
        )

    def _severity(self, p: NDArray[np.float64]) -> Severity:
        by_label = dict(zip(self.severity.labels, p, strict=True))
        if by_label.get(Severity.URGENT.value, 0.0) >= self.urgent_threshold:
            return Severity.URGENT
        rest = {k: v for k, v in by_label.items() if k != Severity.URGENT.value}
        return Severity(max(rest, key=lambda k: rest[k])) if rest else Severity.HIGH


def combine(rules: Screening, model: Assessment | None) -> Screening:
    """Rules first: a rule finding stands as it is (category, severity, triggers).

    When the rules found nothing, a confident model adds one finding, with the
    model's category and severity and the riskiest sentence as its trigger.
    A weak model score never flags, nor does a moderate one where the rules set
    risk words aside (:meth:`RiskModel.assess` decides that).
    """
    if rules.is_risk or model is None or not model.confident:
        return rules
    trigger = (model.trigger,) if model.trigger else ()
    return Screening((Finding(model.category, model.severity, trigger),))


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences as exact substrings of ``text`` (stripped), empty ones dropped."""
    out = []
    for m in _SENTENCE.finditer(text):
        s = m.group().strip()
        if any(c.isalnum() for c in s):
            out.append(s)
    return tuple(out)


def chunks(sentences: Sequence[str], max_words: int = 60) -> tuple[str, ...]:
    """Consecutive sentences grouped up to ``max_words``: the parts of a long message.

    Each chunk is the sentences joined by a space, so a one-sentence chunk is an
    exact substring of the message; a single overlong sentence stays whole."""
    out: list[str] = []
    cur: list[str] = []
    n = 0
    for s in sentences:
        w = len(s.split())
        if cur and n + w > max_words:
            out.append(" ".join(cur))
            cur, n = [], 0
        cur.append(s)
        n += w
    if cur:
        out.append(" ".join(cur))
    return tuple(out)
