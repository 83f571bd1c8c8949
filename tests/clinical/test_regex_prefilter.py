"""The regex prefilter must never hide a match: whatever it says is required, every match
contains one of it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.regex_prefilter import required


@pytest.mark.parametrize(("pattern", "expected"), [
    ("overdose", {"overdose"}),
    ("(?:going to )?die", {"die"}),  # the optional part requires nothing
    ("cut(?:ting)?", {"cut"}),
    ("(?:kill|hang) myself", {" myself"}),  # the longest required part wins
    ("(?:pills|tablets) saved", {" saved"}),
    ("(?:pills|tablets)", {"pills", "tablets"}),
    ("(?:pills|me)", None),  # a branch of two letters requires nothing worth testing
    ("[ck]ill(?:ed)? me", {"ill"}),
    ("(?<![^ ])(?:end it)(?![^ ])", {"end it"}),  # lookarounds require nothing
    ("(?:ha)+rm", None),
    ("(?:harm)+", {"harm"}),
    ("(?:harm)*", None),
    ("\\w+ \\w+", None),
    ("(?i)overdose", None),  # case-insensitive: never filtered
    ("(?i:overdose) now", {" now"}),  # only the case-insensitive group is left out
])
def test_required_strings(pattern: str, expected: set[str] | None) -> None:
    got = required(pattern)
    assert (None if got is None else set(got)) == expected


def _regex() -> st.SearchStrategy[str]:
    atom = st.sampled_from(["a", "b", "ab", "ba", "abb", "bab", " ", "[ab]", ".", "\\w", "(?<!a)", "(?=b)"])
    return st.recursive(
        atom,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
            st.tuples(inner, st.sampled_from(["?", "*", "+", "{2}", "{0,2}", "{1,3}"])).map(
                lambda t: f"(?:{t[0]}){t[1]}"),
        ),
        max_leaves=8,
    )


@settings(max_examples=400, deadline=None)
@given(_regex(), st.lists(st.text(alphabet="ab ", max_size=12), min_size=1, max_size=6))
def test_a_text_without_any_required_string_never_matches(pattern: str, texts: list[str]) -> None:
    need = required(pattern)
    if need is None:
        return
    compiled = re.compile(pattern)
    for text in texts:
        if compiled.search(text):
            assert any(s in text for s in need), (pattern, text, need)


def test_the_risk_rules_find_the_same_with_and_without_the_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every labelled message: the same findings, triggers and false-alarm reasons whether
    the rules are tried all, or only those the prefilter lets through."""
    import json
    from pathlib import Path

    from clinical import risk

    # the sets by name: an unseen probe dropped into the folder is never read here
    names = ("eval", "holdout", "probe", "train", "probe2", "train2", "probe3", "probe4", "train3",
             "probe5", "train4")
    texts = [json.loads(line)["text"] for name in names
             for line in (Path(__file__).parent / f"risk_{name}.jsonl").read_text().splitlines() if line.strip()]
    assert len(texts) > 3000
    filtered = [(risk.screen_text(t), risk.false_alarm_reasons(t)) for t in texts]
    assert len(risk._candidates("see you on thursday")) < len(risk._RULES) // 10  # it does skip rules
    monkeypatch.setattr(risk, "_candidates", lambda norm: list(risk._RULES))
    assert [(risk.screen_text(t), risk.false_alarm_reasons(t)) for t in texts] == filtered
