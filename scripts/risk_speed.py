"""How long the risk rules take per message, with and without the prefilter.

    python scripts/risk_speed.py

Times `clinical.risk.screen_text` over every labelled message in tests/clinical
(3,300+) and over the load benchmark's ordinary sentence, first as it runs (only the
rules whose required strings occur, `clinical.regex_prefilter`), then trying every
rule. Prints milliseconds per message; docs/risk-evaluation.md ("Speed") quotes it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from clinical import risk

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "I noticed my thoughts racing again before the meeting, and I caught myself predicting the worst."


def per_message_ms(texts: list[str], rounds: int = 3) -> float:
    for t in texts:
        risk.screen_text(t)  # warm the word caches
    start = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            risk.screen_text(t)
    return (time.perf_counter() - start) * 1000 / (rounds * len(texts))


def main() -> None:
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "tests" / "clinical").glob("risk_*.jsonl"))
             for line in path.read_text().splitlines() if line.strip()]
    filtered = risk._candidates
    for label, candidates in (("prefilter", filtered), ("every rule", lambda norm: list(risk._RULES))):
        risk._candidates = candidates  # type: ignore[assignment]
        print(f"{label:>10}: {per_message_ms(texts):.3f} ms per labelled message ({len(texts)}), "
              f"{per_message_ms([SENTENCE] * 300):.3f} ms for the bench's sentence")
    risk._candidates = filtered  # type: ignore[assignment]


if __name__ == "__main__":
    main()
