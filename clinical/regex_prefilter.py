"""Which strings must a regex's every match contain? A prefilter for many regexes.

The risk rules are ~300 regexes run over every patient message; most cannot match an
ordinary chat line, yet trying each one costs about a millisecond a message. For each
pattern, :func:`required` finds a set of strings such that **every match contains at
least one of them** (the idea of RE2's FilteredRE2, for Python's own regex syntax), so a
text holding none of them cannot match and the regex need not run.

It reads the parsed pattern (``re._parser``, the module behind ``re.compile``):

* a run of literal characters is required as a string;
* a concatenation requires whatever its best part requires (the longest strings win);
* an alternation requires the union of what each branch requires, and nothing if any
  branch requires nothing;
* a repeat requires what its body requires when it must occur at least once, otherwise
  nothing; lookarounds, character classes and anchors require nothing.

Strings shorter than ``MIN_LEN`` are not worth testing, so a part made only of them
requires nothing. Case-insensitive patterns are never filtered. Pure code, no I/O.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

__all__ = ["MIN_LEN", "required"]

MIN_LEN = 3

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def required(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains; None if there is no such
    useful set (the regex must always be tried)."""
    parsed = P.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _concat(list(parsed))


def _score(options: frozenset[str]) -> tuple[int, int]:
    """Better = the shortest string is longer, then fewer strings."""
    return min(len(s) for s in options), -len(options)


def _concat(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(options: frozenset[str] | None) -> None:
        nonlocal best
        if options and (best is None or _score(options) > _score(best)):
            best = options

    def end_run() -> None:
        if len(run) >= MIN_LEN:
            consider(frozenset(["".join(run)]))
        run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        consider(_node(op, av))
    end_run()
    return best


def _node(op: Any, av: Any) -> frozenset[str] | None:
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _concat(list(body))
    if op is C.ATOMIC_GROUP:
        return _concat(list(av))
    if op is C.BRANCH:
        branches = [_concat(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*[b for b in branches if b is not None])
    if op in _REPEATS:
        low, _high, body = av
        return _concat(list(body)) if low >= 1 else None
    return None  # lookarounds, classes, anchors, backreferences, any character
