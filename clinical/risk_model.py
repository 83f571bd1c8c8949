"""A learned recall net beside the rules: small heads over a sentence embedding.

The rules (:mod:`clinical.risk`) are precise and explain themselves, but only
see words in their lexicons; on fresh text they miss most risk. These heads
read a 384-d sentence embedding (all-MiniLM-L6-v2, computed by an adapter) and
give a probability of risk (an ensemble of one-hidden-layer nets, :class:`Mlp`),
a severity and a category (logistic, :class:`Head`). :func:`combine` keeps
every rule finding as it is and adds a finding when the rules are silent and
the model is confident.

The rules also say when they set risk words aside (negation, history, an
idiom, someone else, a quotation: :func:`clinical.risk.false_alarm_reasons`),
and since round 6 what in the whole message would dismiss it, risk word or not
(a denial, resolved history, a worked exercise, someone else's story, an
everyday purpose: :func:`clinical.risk.context_reasons`; since round 7 also an
intrusive thought the writer disowns and someone else's harm told).
Then only a strong model score flags: those filters are what a clinician would
use to dismiss the message, and the embedding cannot see them ("I'm not
suicidal" sits next to "I'm suicidal" in the vector space).

Missing an urgent disclosure costs far more than a false alarm, so the model
also leans toward URGENT: a moderate score flags, as URGENT, when the severity
head says urgent and the rules set nothing aside (:meth:`RiskModel._urgent_lean`).

Pure: no I/O, no clock. The weights arrive as parsed JSON
(``clinical/risk_model_weights.json``, written by ``scripts/train_risk_model.py``)
and the vectors from the caller.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clinical.risk import (
    Category,
    Finding,
    Screening,
    Severity,
    Source,
    context_reasons,
    false_alarm_reasons,
    renamed_category,
    says_a_plan,
    unplanned_category,
)

__all__ = [
    "Assessment",
    "Head",
    "Mlp",
    "RiskModel",
    "chunks",
    "combine",
    "split_sentences",
    "veto_bar",
]

FORMAT_VERSION = 3
# Round 9: an intrusive thought the writer disowns ("the thought of throwing my phone at the
# baby keeps popping up, it's so vile") is what the encoder over-scores most: it reads the
# harm image, not the horror at it. When the rules give that reason, a model hit must reach
# this bar rather than ``veto_threshold``. Out of fold on every labelled set (2,352 risk
# messages), with round 9's lexicon, it removed ~20 false alarms and lost no hit
# (docs/risk-evaluation.md, round 9).
INTRUSIVE_VETO = 0.99


def veto_bar(veto_threshold: float, held_back: Sequence[str]) -> float:
    """The score a model hit needs when the rules give these reasons to set it aside
    (the screener and scripts/train_risk_model.py's out-of-fold decision both use it)."""
    return max(veto_threshold, INTRUSIVE_VETO) if "intrusive thought" in held_back else veto_threshold

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


def _pack(a: NDArray[np.floating[Any]]) -> str:
    """float16, little-endian, base64: a 384 x 256 matrix in ~260 KB of JSON, not 2 MB."""
    return base64.b64encode(np.asarray(a, dtype="<f2").tobytes()).decode("ascii")


def _unpack(s: str, shape: tuple[int, ...]) -> NDArray[np.float64]:
    flat = np.frombuffer(base64.b64decode(s), dtype="<f2").astype(np.float64)
    if flat.size != int(np.prod(shape)):
        raise ValueError(f"packed array of {flat.size} values does not fit shape {shape}")
    return flat.reshape(shape)


@dataclass(frozen=True)
class Mlp:
    """A small ensemble of one-hidden-layer nets (ReLU) giving P(risk): the mean of their sigmoids.

    A linear head on a frozen embedding cannot separate a plan told obliquely
    ("won't be needing the car after this week") from the same words in an
    ordinary farewell; a hidden layer can, and averaging a few nets trained
    from different seeds steadies the scores near the threshold.
    """

    labels: tuple[str, ...]
    w1: NDArray[np.float64]  # (members, dim, hidden)
    b1: NDArray[np.float64]  # (members, hidden)
    w2: NDArray[np.float64]  # (members, hidden)
    b2: NDArray[np.float64]  # (members,)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], dim: int) -> Mlp:
        labels = tuple(str(x) for x in obj["labels"])
        if len(labels) != 1:
            raise ValueError(f"an mlp head has one label, not {len(labels)}")
        hidden, members = int(obj["hidden"]), obj["members"]
        w1 = np.stack([_unpack(m["w1"], (dim, hidden)) for m in members])
        b1 = np.stack([np.asarray(m["b1"], dtype=np.float64) for m in members])
        w2 = np.stack([np.asarray(m["w2"], dtype=np.float64) for m in members])
        b2 = np.asarray([float(m["b2"]) for m in members], dtype=np.float64)
        if not members or b1.shape[1:] != (hidden,) or w2.shape[1:] != (hidden,):
            raise ValueError(f"mlp head shape does not fit {dim} x {hidden}")
        return cls(labels, w1, b1, w2, b2)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "mlp",
            "labels": list(self.labels),
            "hidden": int(self.w1.shape[2]),
            "members": [
                {
                    "w1": _pack(self.w1[k]),
                    "b1": [round(float(v), 5) for v in self.b1[k]],
                    "w2": [round(float(v), 5) for v in self.w2[k]],
                    "b2": round(float(self.b2[k]), 5),
                }
                for k in range(len(self.b2))
            ],
        }

    def probabilities(self, x: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """The ensemble's mean P(risk); ``x`` is (n, dim), the result (n, 1)."""
        xf = np.asarray(x, dtype=np.float64)
        total = np.zeros(len(xf))
        for k in range(len(self.b2)):
            h = np.maximum(xf @ self.w1[k] + self.b1[k], 0.0)
            z = h @ self.w2[k] + self.b2[k]
            total += 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        out: NDArray[np.float64] = (total / len(self.b2)).reshape(-1, 1)
        return out


def head_from_json(obj: Mapping[str, Any], dim: int) -> Head | Mlp:
    return Mlp.from_json(obj, dim) if obj.get("kind") == "mlp" else Head.from_json(obj, dim)


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
    risk: Head | Mlp
    severity: Head  # labels are Severity values
    category: Head  # labels are Category values
    threshold: float  # flag at risk >= threshold (chosen on training folds)
    sentence_threshold: float  # one sentence of a longer message flags it on its own
    urgent_threshold: float  # URGENT when P(urgent) >= this, else the likelier of the rest
    veto_threshold: float  # when the rules set risk words aside, flag only at risk >= this
    # The urgent lean: below ``threshold``, a score >= ``urgent_risk_threshold`` still
    # flags (as URGENT) when P(urgent) >= ``urgent_lean`` and the rules set nothing
    # aside in that text. A missed plan costs far more than a false alarm. 1.01 = off.
    urgent_risk_threshold: float = 1.01
    urgent_lean: float = 1.01

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> RiskModel:
        if obj.get("format") != FORMAT_VERSION:
            raise ValueError(f"unknown risk model format {obj.get('format')!r}")
        dim = int(obj["dim"])
        heads = obj["heads"]
        model = cls(
            dim=dim,
            risk=head_from_json(heads["risk"], dim),
            severity=Head.from_json(heads["severity"], dim),
            category=Head.from_json(heads["category"], dim),
            threshold=float(obj["threshold"]),
            sentence_threshold=float(obj["sentence_threshold"]),
            urgent_threshold=float(obj["urgent_threshold"]),
            veto_threshold=float(obj["veto_threshold"]),
            urgent_risk_threshold=float(obj.get("urgent_risk_threshold", 1.01)),
            urgent_lean=float(obj.get("urgent_lean", 1.01)),
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
        whole_risk = risk = float(self.risk_scores(whole)[0])
        confident = risk >= self.threshold
        trigger, basis, basis_text = text.strip(), whole, text
        part: tuple[float, NDArray[np.float64], str] | None = None
        if parts:
            vecs = np.vstack(
                [np.asarray(v, dtype=np.float64).reshape(1, self.dim) for _, v in parts]
            )
            scores = self.risk_scores(vecs)
            k = int(np.argmax(scores))
            trigger = parts[k][0]
            part = (float(scores[k]), vecs[k : k + 1], parts[k][0])
            part_bar = self.threshold if truncated else self.sentence_threshold
            if not confident and scores[k] >= part_bar:
                confident, basis, basis_text = True, vecs[k : k + 1], parts[k][0]
            risk = max(risk, float(scores[k]))
        held_back = part_reasons(basis_text, text, source) if confident else ()
        if held_back and risk < veto_bar(self.veto_threshold, held_back):
            confident = False
        if not confident:
            lean = self._urgent_lean(whole_risk, whole, text, part, truncated, source)
            if lean is not None:
                return Assessment(
                    risk=risk,
                    confident=True,
                    category=self._category(lean, text),
                    severity=Severity.URGENT,
                    trigger=trigger,
                )
        sev_p = self.severity.probabilities(basis)[0]
        return Assessment(
            risk=risk,
            confident=confident,
            category=self._category(basis, text),
            severity=self._severity(sev_p),
            trigger=trigger,
            held_back=held_back,
        )

    def _urgent_lean(
        self,
        whole_risk: float,
        whole: NDArray[np.float64],
        text: str,
        part: tuple[float, NDArray[np.float64], str] | None,
        truncated: bool,
        source: Source,
    ) -> NDArray[np.float64] | None:
        """The text that flags as URGENT below the usual bar, or None.

        The message, or its riskiest part (the bar raised by the same gap as
        ``sentence_threshold`` over ``threshold``), must score at least
        ``urgent_risk_threshold``, the severity head must give P(urgent) >=
        ``urgent_lean``, and the rules must set nothing aside in that text."""
        if self.urgent_risk_threshold > 1.0:
            return None
        gap = 0.0 if truncated else self.sentence_threshold - self.threshold
        candidates = [(whole_risk, whole, text, self.urgent_risk_threshold)]
        if part is not None:
            candidates.append((*part, self.urgent_risk_threshold + gap))
        for score, vec, words, bar in candidates:
            if score < bar or self._p_urgent(vec) < self.urgent_lean:
                continue
            if not part_reasons(words, text, source):
                return vec
        return None

    def _category(self, vec: NDArray[np.float64], text: str) -> Category:
        """The category head's choice, named as the words say (round 7): "suicide plan or
        intent" only when the message says a method, means, place, date, letters or
        intent (:func:`clinical.risk.says_a_plan`); wishing to be dead without them
        is ideation, an act on the body self-harm. The severity is left as it is."""
        cat_p = self.category.probabilities(vec)[0]
        category = Category(self.category.labels[int(np.argmax(cat_p))])
        if category is Category.SUICIDE_PLAN and text and not says_a_plan(text):
            category = unplanned_category(text) or category
        return renamed_category(category, text)

    def _p_urgent(self, vec: NDArray[np.float64]) -> float:
        labels = self.severity.labels
        if Severity.URGENT.value not in labels:
            return 0.0
        return float(self.severity.probabilities(vec)[0][labels.index(Severity.URGENT.value)])

    def _severity(self, p: NDArray[np.float64]) -> Severity:
        by_label = dict(zip(self.severity.labels, p, strict=True))
        if by_label.get(Severity.URGENT.value, 0.0) >= self.urgent_threshold:
            return Severity.URGENT
        rest = {k: v for k, v in by_label.items() if k != Severity.URGENT.value}
        return Severity(max(rest, key=lambda k: rest[k])) if rest else Severity.HIGH


def part_reasons(part: str, message: str, source: Source = Source.SESSION) -> tuple[str, ...]:
    """The rules' reasons to set ``part`` aside, plus the whole message's context when
    ``part`` is one of its sentences (round 6): in "i took an overdose at 19. that was
    30 years ago" the first sentence is history, though it says nothing of it alone."""
    reasons = false_alarm_reasons(part, source)
    if part == message or not message:
        return reasons
    return reasons + tuple(r for r in context_reasons(message) if r not in reasons)


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
_CLAUSE_BREAK = re.compile(r",\s+|;\s+|\s+-\s+|\s+(?=(?:and then|but then|anyway|so then)\b)")
RUN_ON_WORDS = 24  # a "sentence" longer than this is split at commas into windows
WINDOW_WORDS = 8  # a window is at least this long, so no window is a bare fragment


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences as exact substrings of ``text`` (stripped), empty ones dropped.

    People type long lowercase run-ons with commas and no full stop ("had a nice
    day, saw my nan, ... i think its the right place for it, anyway"); one
    risky clause in forty words is diluted by mean pooling, so a sentence longer
    than ``RUN_ON_WORDS`` is cut at its commas into windows of at least
    ``WINDOW_WORDS`` words."""
    out: list[str] = []
    for m in _SENTENCE.finditer(text):
        s = m.group().strip()
        if not any(c.isalnum() for c in s):
            continue
        out.extend(_windows(s) if len(s.split()) > RUN_ON_WORDS else (s,))
    return tuple(out)


def _windows(sentence: str) -> tuple[str, ...]:
    """Consecutive clauses of ``sentence`` grouped to >= WINDOW_WORDS words (exact substrings)."""
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    spans: list[tuple[int, int]] = []
    start = 0
    for end in cuts[1:]:
        if len(sentence[start:end].split()) >= WINDOW_WORDS:
            spans.append((start, end))
            start = end
    if start < len(sentence):
        if spans and len(sentence[start:].split()) < WINDOW_WORDS // 2:
            spans[-1] = (spans[-1][0], len(sentence))  # a short tail joins the window before it
        else:
            spans.append((start, len(sentence)))
    pieces = (sentence[a:b].strip(" ,;-") for a, b in spans)
    return tuple(p for p in pieces if any(c.isalnum() for c in p))


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
