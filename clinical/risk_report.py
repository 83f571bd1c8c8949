"""Evaluate :func:`clinical.risk.screen_text` on a labelled JSONL set.

``python -m clinical.risk_report [path]`` prints a markdown report: per
category precision / recall / support, per severity recall (caught at all, and
with the exact severity), overall precision / recall, then every miss and
false alarm so that a reviewer can judge them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from clinical.risk import Category, Screening, Severity, screen_text

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "tests" / "clinical" / "risk_eval.jsonl"


@dataclass(frozen=True)
class Example:
    text: str
    risk: bool
    category: str | None
    severity: str | None


@dataclass(frozen=True)
class Scored:
    example: Example
    screening: Screening


@dataclass(frozen=True)
class Ratio:
    hit: int
    total: int

    @property
    def value(self) -> float:
        return self.hit / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hit}/{self.total})"


def load(path: Path) -> list[Example]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Example(row["text"], bool(row["risk"]), row["category"], row["severity"]))
    return out


def score(examples: list[Example]) -> list[Scored]:
    return [Scored(e, screen_text(e.text)) for e in examples]


def overall_recall(scored: list[Scored]) -> Ratio:
    pos = [s for s in scored if s.example.risk]
    return Ratio(sum(s.screening.is_risk for s in pos), len(pos))


def overall_precision(scored: list[Scored]) -> Ratio:
    flagged = [s for s in scored if s.screening.is_risk]
    return Ratio(sum(s.example.risk for s in flagged), len(flagged))


def severity_recall(scored: list[Scored], severity: Severity) -> tuple[Ratio, Ratio]:
    """(caught as risk at all, caught with exactly this severity)."""
    group = [s for s in scored if s.example.severity == severity.value]
    caught = sum(s.screening.is_risk for s in group)
    exact = sum(s.screening.severity is severity for s in group)
    return Ratio(caught, len(group)), Ratio(exact, len(group))


def category_scores(scored: list[Scored], category: Category) -> tuple[Ratio, Ratio]:
    """(precision, recall) of the top finding's category."""
    predicted = [s for s in scored if s.screening.category is category]
    actual = [s for s in scored if s.example.category == category.value]
    tp = sum(s.example.category == category.value for s in predicted)
    return Ratio(tp, len(predicted)), Ratio(tp, len(actual))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(path: Path) -> str:
    scored = score(load(path))
    lines = [
        f"Evaluation set: `{path.name}`, {len(scored)} messages, "
        f"{sum(s.example.risk for s in scored)} with risk.",
        "",
    ]
    lines += ["| category | precision | recall | support |", "| --- | --- | --- | --- |"]
    for cat in Category:
        p, r = category_scores(scored, cat)
        lines.append(f"| {cat.value} | {p} | {r} | {r.total} |")
    lines += [
        "",
        "| severity | recall (flagged at all) | severity exact | support |",
        "| --- | --- | --- | --- |",
    ]
    for sev in Severity:
        caught, exact = severity_recall(scored, sev)
        lines.append(f"| {sev.value} | {caught} | {exact} | {caught.total} |")
    lines += [
        "",
        "| overall | value |",
        "| --- | --- |",
        f"| precision | {overall_precision(scored)} |",
        f"| recall | {overall_recall(scored)} |",
    ]
    misses = [s for s in scored if s.example.risk and not s.screening.is_risk]
    alarms = [s for s in scored if s.screening.is_risk and not s.example.risk]
    wrong = [
        s
        for s in scored
        if s.example.risk
        and s.screening.is_risk
        and (
            s.screening.category is None
            or s.screening.category.value != s.example.category
            or s.screening.severity is None
            or s.screening.severity.value != s.example.severity
        )
    ]
    lines += ["", f"### Misses ({len(misses)})", ""]
    lines += ["| text | expected |", "| --- | --- |"] if misses else ["none"]
    lines += [
        f"| {_cell(s.example.text)} | {s.example.category} / {s.example.severity} |" for s in misses
    ]
    lines += ["", f"### False alarms ({len(alarms)})", ""]
    lines += ["| text | flagged | triggers |", "| --- | --- | --- |"] if alarms else ["none"]
    for s in alarms:
        sc = s.screening
        assert sc.category is not None and sc.severity is not None
        lines.append(
            f"| {_cell(s.example.text)} | {sc.category.value} / {sc.severity.value} "
            f"| {_cell(' · '.join(sc.triggers))} |"
        )
    lines += ["", f"### Caught with another category or severity ({len(wrong)})", ""]
    lines += ["| text | expected | flagged |", "| --- | --- | --- |"] if wrong else ["none"]
    for s in wrong:
        sc = s.screening
        assert sc.category is not None and sc.severity is not None
        lines.append(
            f"| {_cell(s.example.text)} | {s.example.category} / {s.example.severity} "
            f"| {sc.category.value} / {sc.severity.value} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    sys.stdout.write(report(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
