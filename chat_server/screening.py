"""The screener the worker runs: rules for now (a learned layer is being added)."""

from __future__ import annotations

from collections.abc import Sequence

from clinical.risk import Screening, Source, screen_text


class Screener:
    def screen(self, text: str, source: Source = Source.SESSION) -> Screening:
        return screen_text(text, source)

    def screen_many(self, texts: Sequence[str], source: Source = Source.SESSION) -> list[Screening]:
        return [screen_text(t, source) for t in texts]
