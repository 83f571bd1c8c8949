"""Risk screening of typed patient text.

A pure function from text to a :class:`Screening`: no I/O, no clock, no model.
The pipeline is

1. *normalise*: tokens in lower case, apostrophes dropped, slang and common
   misspellings mapped to one spelling (``kms`` -> ``kill myself``, ``sucidal``
   -> ``suicidal`` by a one-edit match), fillers ("just", "honestly") dropped,
   each normalised token remembering its span in the original text;
2. *match* the phrase rules of :mod:`clinical.risk_rules`;
3. *filter* each match the way a clinician reads it: negated ("I'm not
   suicidal"), history ("I used to self-harm years ago"), someone else
   ("my friend was suicidal"), an idiom ("this homework is killing me"),
   a joke ("... lol"), someone else's words in quotes, an accident;
4. *aggregate* per category at the highest severity, most severe first.

Triggers are exact substrings of the original text, so a reviewer sees what
the patient typed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from clinical import risk_lexicon as lex
from clinical import risk_rules as rules
from clinical.regex_prefilter import required

__all__ = [
    "FALSE_ALARM_REASONS",
    "Category",
    "Finding",
    "Screening",
    "Severity",
    "Source",
    "context_reasons",
    "false_alarm_reasons",
    "renamed_category",
    "says_a_plan",
    "screen_phq9_item9",
    "screen_text",
    "unplanned_category",
]


class Category(str, Enum):  # noqa: UP042 - the agreed public API
    SUICIDAL_IDEATION = "suicidal_ideation"
    SUICIDE_PLAN = "suicide_plan_or_intent"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    SAFEGUARDING_CHILD = "safeguarding_child"
    SAFEGUARDING_ADULT = "safeguarding_adult"
    DOMESTIC_ABUSE = "domestic_abuse"


class Severity(str, Enum):  # noqa: UP042 - the agreed public API
    URGENT = "urgent"
    HIGH = "high"
    MODERATE = "moderate"


class Source(str, Enum):  # noqa: UP042 - the agreed public API
    SESSION = "session"
    MESSAGE = "message"
    QUESTIONNAIRE = "questionnaire"
    MANUAL = "manual"


_SEVERITY_RANK = {Severity.URGENT: 0, Severity.HIGH: 1, Severity.MODERATE: 2}
_CATEGORY_RANK = {c: i for i, c in enumerate(Category)}


@dataclass(frozen=True)
class Finding:
    category: Category
    severity: Severity
    triggers: tuple[str, ...]


@dataclass(frozen=True)
class Screening:
    findings: tuple[Finding, ...]

    @property
    def is_risk(self) -> bool:
        return bool(self.findings)

    @property
    def category(self) -> Category | None:
        return self.findings[0].category if self.findings else None

    @property
    def severity(self) -> Severity | None:
        return self.findings[0].severity if self.findings else None

    @property
    def triggers(self) -> tuple[str, ...]:
        return self.findings[0].triggers if self.findings else ()


NO_RISK = Screening(findings=())


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Tok:
    norm: str
    start: int
    end: int
    kind: str  # "word", "stop" (sentence end), "comma", "quote"


_RAW_TOKEN = re.compile(
    r"[A-Za-z0-9]+(?:['’*@$!-][A-Za-z0-9]+)*|[.!?;\n]+|[,:()\-–—/]|[\"“”‘’']|[^\sA-Za-z0-9]",
)
_LEET = str.maketrans(
    {"1": "i", "3": "e", "0": "o", "4": "a", "5": "s", "@": "a", "$": "s", "!": "i"}
)
_NUMBERISH = re.compile(r"\d+(?:st|nd|rd|th|s|am|pm|yrs?|yo|mg|k|m|x)?")
_REPEATS = re.compile(r"(.)\1{2,}")
_CLAUSE_WORDS = frozenset({"but", "though", "although", "however", "whereas", "except", "tho"})
_CLAUSE_JOINERS = frozenset({"and", "so", "because", "then", "cause", "as", "or", ","})
_SUBJECTS = frozenset(
    {
        "i",
        "im",
        "ive",
        "id",
        "ill",
        "he",
        "she",
        "they",
        "hes",
        "shes",
        "theyre",
        "it",
        "its",
        "thats",
        "we",
        "my",
        "you",
        "there",
        "theres",
        "people",
        "everyone",
        "someone",
        "nobody",
        "no",
    }
)


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one insert, delete, substitute or swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@lru_cache(maxsize=8192)
def _normalise_word(raw: str) -> tuple[str, ...]:
    word = raw.lower().replace("’", "'")
    if word in lex.EXPANSIONS:
        return lex.EXPANSIONS[word]
    word = word.replace("'", "")
    if word in lex.EXPANSIONS:
        return lex.EXPANSIONS[word]
    if (
        any(c.isdigit() for c in word)
        and any(c.isalpha() for c in word)
        and not _NUMBERISH.fullmatch(word)
    ):
        word = word.translate(_LEET)
    word = word.translate(_LEET) if any(c in word for c in "@$!") else word
    word = word.replace("*", "")
    if _REPEATS.search(word):
        word = _REPEATS.sub(r"\1", word)
        if word in lex.EXPANSIONS:
            return lex.EXPANSIONS[word]
    if word.startswith("haha") or word.startswith("hehe"):
        return ("lol",)
    if len(word) >= 5 and word not in lex.FUZZY_PROTECTED and word not in _FUZZY_SET:
        for target in lex.FUZZY_VOCAB:
            if target[0] == word[0] and _edit_distance_at_most_one(word, target):
                return (target,)
    return (word,)


_FUZZY_SET = frozenset(lex.FUZZY_VOCAB)


def _tokenise(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _RAW_TOKEN.finditer(text):
        raw = m.group()
        s, e = m.span()
        first = raw[0]
        if first.isalnum():
            for part in raw.split("-"):
                for norm in _normalise_word(part):
                    toks.append(_Tok(norm, s, e, "word"))
        elif first in ".!?;\n":
            toks.append(_Tok(".", s, e, "stop"))
        elif first in "\"“”‘’'":
            toks.append(_Tok('"', s, e, "quote"))
        elif first in ",:()-–—/":
            toks.append(_Tok(",", s, e, "comma"))
        elif raw in lex.LAUGH_EMOJI:
            toks.append(_Tok("lol", s, e, "word"))
        elif raw in lex.EMOJI_WORDS:
            toks.append(_Tok(lex.EMOJI_WORDS[raw], s, e, "word"))
    return toks


# ---------------------------------------------------------------- the document


class _Doc:
    """Normalised text plus the indexes the filters need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenise(text)
        parts: list[str] = []
        self.offsets: list[int] = []
        pos = 0
        for t in self.toks:
            self.offsets.append(pos)
            parts.append(t.norm)
            pos += len(t.norm) + 1
        self.norm = " ".join(parts)
        n = len(self.toks)
        self.sentence = [0] * n
        self.clause = [0] * n
        self.quoted: list[int | None] = [None] * n
        sent_start = clause_start = 0
        quote_open: int | None = None
        for i, t in enumerate(self.toks):
            if t.kind == "stop":
                sent_start = clause_start = i + 1
            elif t.norm in _CLAUSE_WORDS or (
                t.norm in _CLAUSE_JOINERS
                and i + 1 < n
                and self.toks[i + 1].norm in _SUBJECTS
                and i > clause_start
            ):
                clause_start = i
            elif t.kind == "quote":
                quote_open = i if quote_open is None else None
            self.sentence[i] = sent_start
            self.clause[i] = clause_start
            self.quoted[i] = quote_open
        self.masked = self._idiom_mask()
        self._story: bool | None = None
        self._intrusive: bool | None = None

    def intrusive_thought(self) -> bool:
        """An intrusive (OCD-style) thought the writer disowns, and no intent of theirs (round 7)."""
        if self._intrusive is None:
            self._intrusive = _intrusive_thought(_APOSTROPHES.sub("", self.text.lower()))
        return self._intrusive

    def someone_elses_story(self) -> bool:
        """A documentary, a programme, a book or a shift at work is the subject (round 6)."""
        if self._story is None:
            self._story = _media_story(_APOSTROPHES.sub("", self.text.lower()))
        return self._story

    def token_span(self, m: re.Match[str]) -> tuple[int, int]:
        """Token indexes [a, b) covered by a match on the normalised text."""
        a = bisect.bisect_right(self.offsets, m.start()) - 1
        b = bisect.bisect_left(self.offsets, m.end())
        return max(a, 0), max(b, a + 1)

    def words(self, a: int, b: int) -> str:
        return " ".join(t.norm for t in self.toks[max(a, 0) : b])

    def sentence_end(self, i: int) -> int:
        j = i
        while j < len(self.toks) and self.toks[j].kind != "stop":
            j += 1
        return j

    def clause_end(self, i: int) -> int:
        j = i + 1
        while j < len(self.toks) and self.clause[j] == self.clause[i]:
            j += 1
        return j

    def _idiom_mask(self) -> set[int]:
        masked: set[int] = set()
        for rx in _IDIOMS:
            for m in rx.finditer(self.norm):
                a, b = self.token_span(m)
                masked.update(range(a, b))
        return masked


_IDIOM_SOURCES: tuple[str, ...] = (
    r"could (?:kill|murder|die) for",
    r"(?:kill|murder) for (?:a|an|some)",
    r"(?:kill|killing|killed|smash|smashed|smashing|nail|nailed) (?:it|time|\w+ hours|two birds|"
    r"the vibe|the mood)",
    r"(?:will|ll|is going to|going to|would|might) (?:kill|murder) me (?:if|when)"
    r"(?! i (?:leave|left|tell|told|go to|went to|report|reported|call|called|break|broke|try|"
    r"tried|speak|spoke|talk|talked|ever|dont do|ring|rang|contact))",
    r"(?:dying|dyeing|died) (?:to|for|of|laughing|inside|my|her|his)",
    r"(?:die|died|dying) of (?:embarrassment|shame|boredom|laughter|cringe|heat|thirst)",
    r"(?:nearly|almost) (?:died|die|dead)",
    r"dead (?:tired|inside|on my feet|bored|good|funny|serious|easy|set|end|heavy|beat|cute)",
    r"(?:to|till|until) death",
    r"(?:die|dying) for (?:my|a|the|some|them|him|her)",
    r"death of me",
    # "this homework is killing me", "my back's killing me" - not "he is killing me"
    r"(?<!he )(?<!she )(?<!they )(?<!partner )(?<!husband )(?<!wife )(?<!boyfriend )"
    r"(?<!girlfriend )(?:is|are|was|were|its|s|keeps|kept) (?:absolutely |literally |slowly )?"
    r"killing me(?! (?:if|when|with|and|he|she))",
    r"(?:phone|battery|plants?|laptop|car|flowers) (?:is|are|was|keeps)? ?(?:dying|dead|died)",
    r"(?:killing|kill|killed) myself (?:trying|to get|at work|working|laughing|over|at the gym|"
    r"with work|for)",
    r"overdos\w* on (?!" + rules.expand("<DRUG>") + r")",
    r"(?:shoot|shooting) for",
    r"take my life (?:back|in|into|forward)|taking my life (?:back|in|into)",
    r"(?:hurt|hurting) myself laughing",
    r"(?:scared|bored|worried|stressed|freezing|starving) to death",
    r"(?:thought|felt like|feel like|feels like|convinced|sure|certain|felt as if|scared|afraid|"
    r"worried|panic|panicking) (?:that )?(?:i was|im|i am|i was going|i|id)? ?"
    r"(?:going to die|dying|die|having a heart attack)",
    r"(?:afraid|scared|fear|terrified|phobia|worried|worry|worrying) (?:of|about) "
    r"(?:dying|death|dieing)",
    r"(?:heart attack|plane crash|car crash|cancer|illness|covid)",
    r"(?:kill|killed|killing) (?:a|the|that|this) (?:spider|fly|wasp|plant|mood|conversation|game|"
    r"battery|bug|mouse)",
    # round 10: "the back line is suicidal this season", "im hopeless with money"
    r"(?:defence|defending|back line|backline|tactics|driving|overtaking|decision|idea|policy|pricing|schedule"
    r"|timetable|that move) (?:is|was|are|were|looks) (?:\w+ )?suicidal",
    r"hopeless (?:at|with) (?!life|living|everything)\w+",
)
_IDIOMS = tuple(re.compile(r"(?<![^ ])(?:" + src + r")") for src in _IDIOM_SOURCES)


# ---------------------------------------------------------------- the rules


@dataclass(frozen=True)
class _Compiled:
    rule: rules.Rule
    category: Category
    severity: Severity
    regex: re.Pattern[str]
    parts: tuple[re.Pattern[str], ...] = ()
    veto: re.Pattern[str] | None = None


def _word_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![^ ])(?:" + rules.expand(pattern) + r")(?![^ ])")


def _compile() -> tuple[_Compiled, ...]:
    out = []
    for r in rules.RULES:
        out.append(
            _Compiled(
                r,
                Category(r.category),
                Severity(r.severity),
                _word_regex(r.pattern),
                tuple(_word_regex(p) for p in r.also),
                _word_regex(r.veto) if r.veto is not None else None,
            )
        )
    return tuple(out)


_RULES = _compile()


def _index_rules() -> tuple[tuple[tuple[str, tuple[int, ...]], ...], frozenset[int]]:
    """For skipping rules that cannot match: each string some rule's every match must
    contain (:mod:`clinical.regex_prefilter`) -> those rules; and the rules with no such
    string, which are always tried."""
    by: dict[str, list[int]] = {}
    always: set[int] = set()
    for i, c in enumerate(_RULES):
        need = required(c.regex.pattern)
        if need is None:
            always.add(i)
        for w in need or ():
            by.setdefault(w, []).append(i)
    return tuple((w, tuple(ix)) for w, ix in sorted(by.items())), frozenset(always)


_BY_STRING, _ALWAYS = _index_rules()


def _candidates(norm: str) -> list[_Compiled]:
    """The rules that could match ``norm``, in rule order (the order findings are built in).
    Testing ~1,100 short strings is cheaper than trying ~300 regexes."""
    hit = set(_ALWAYS)
    for w, ix in _BY_STRING:
        if w in norm:
            hit.update(ix)
    return [_RULES[i] for i in sorted(hit)]
_PERSONAL = frozenset(
    {Category.SUICIDAL_IDEATION, Category.SUICIDE_PLAN, Category.SELF_HARM, Category.HARM_TO_OTHERS}
)
_SELF_DIRECTED = frozenset({Category.SUICIDAL_IDEATION, Category.SUICIDE_PLAN, Category.SELF_HARM})
_JOKEABLE = frozenset({Category.SUICIDAL_IDEATION, Category.SUICIDE_PLAN, Category.HARM_TO_OTHERS})
_ACCIDENTAL = frozenset(
    {
        Category.SELF_HARM,
        Category.DOMESTIC_ABUSE,
        Category.SAFEGUARDING_CHILD,
        Category.HARM_TO_OTHERS,
    }
)
# The themes of intrusive (OCD) thoughts: harm to oneself, to others, to a vulnerable adult
# nearby. Not abuse of the patient or a child's safety, which no fear of one's own thoughts
# explains; nor a plan or means the rules found ("intrusive thoughts again. also i've got 40
# co-codamol in my drawer for when i'm ready": a stockpile is not a thought).
_INTRUSIVE_THEMES = frozenset({Category.SUICIDAL_IDEATION, Category.HARM_TO_OTHERS, Category.SAFEGUARDING_ADULT})
_PSEUDO_NEG = tuple(p.split() for p in lex.PSEUDO_NEGATION_PHRASES)
_NEG_SCOPE = 6
_EXPLICIT_FIRST = lex.FIRST_PERSON | {"my"}


def _is_pseudo_negation(doc: _Doc, k: int) -> bool:
    toks = doc.toks
    for phrase in _PSEUDO_NEG:
        for off in range(len(phrase)):
            start = k - off
            if start < 0 or start + len(phrase) > len(toks):
                continue
            if all(toks[start + j].norm == w for j, w in enumerate(phrase)):
                return True
    nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
    return nxt in lex.PSEUDO_NEGATION_NEXT


# A negated verb with nothing after it before a comma has said all it denies ("i wasnt,").
_CLOSED_NEGATIONS = frozenset(
    {"wasnt", "isnt", "arent", "werent", "didnt", "dont", "doesnt", "havent", "hasnt", "wont", "cant", "couldnt",
     "wouldnt", "not"}
)
_NEW_CLAUSE = frozenset({"the", "and", "but", "so", "i", "im", "ive", "its", "my", "cos", "because", "actually"})


def _negated(doc: _Doc, a: int, b: int) -> bool:
    toks = doc.toks
    lo = max(doc.clause[a], a - _NEG_SCOPE)
    for k in range(a - 1, lo - 1, -1):
        if toks[k].norm not in lex.NEGATION_CUES or _is_pseudo_negation(doc, k):
            continue
        if (toks[k].norm in _CLOSED_NEGATIONS and k + 2 < a and toks[k + 1].kind in ("comma", "stop")
                and toks[k + 2].norm in _NEW_CLAUSE):
            continue  # round 10: "i said i was fine but i wasnt, the thoughts are back" - its own clause
        between = [t.norm for t in toks[k + 1 : a]]
        if _own_object_before_break(doc, k, a):
            continue
        crosses_subject = any(w in lex.FIRST_PERSON or w in {"he", "she", "they"} for w in between)
        after = between[0] if between else ""
        if crosses_subject and after not in lex.COGNITIVE_VERBS and after not in {"that", "like"}:
            continue
        return True
    # "suicidal thoughts: none", "self harm - no"
    end = min(b + 3, doc.clause_end(a))
    tail = [t.norm for t in toks[b:end] if t.kind == "word"]
    if bool(tail) and tail[0] in {"none", "no", "never", "nil"} and len(tail) <= 2:
        return True
    # "hurting myself isnt on the table", "killing myself is not something im considering"
    if _POSTPOSED_DENIAL.match(doc.words(b, doc.clause_end(a))):
        return True
    # "suicidal thoughts: none", "self harm urges - no": a label then a denial;
    # "suicidal feelings? none at the moment": a question answered no
    for k in range(b, min(b + 3, len(toks))):
        if toks[k].kind == "stop":
            asked = doc.text[toks[k].start] == "?" and k + 1 < len(toks)
            if asked and all(t.norm in _LABEL_WORDS for t in toks[b:k]):
                return toks[k + 1].norm in _DENIALS and not _is_pseudo_negation(doc, k + 1)
            break
        if toks[k].kind == "comma" and k + 1 < len(toks):
            return toks[k + 1].norm in _DENIALS
    return False


def _own_object_before_break(doc: _Doc, k: int, a: int) -> bool:
    """The negation at ``k`` has its own object, then a colon or ", and" starts something new
    before ``a`` (round 8): "not eating, not sleeping, and the thought of ending it is there all
    day", "asking for me, not an essay: how many paracetamol does it take"."""
    toks = doc.toks
    for j in range(k + 2, a):
        if toks[j].kind != "comma":
            continue
        char = doc.text[toks[j].start]
        nxt = toks[j + 1].norm if j + 1 < len(toks) else ""
        if char == ":" or (char == "," and nxt in {"and", "but", "so", "then"}):
            return True
    return False


_POSTPOSED_DENIAL = re.compile(
    r"(?:isnt|is not|aint|wasnt|was not|arent|are not) (?:on (?:the|my) (?:table|radar|cards|agenda)|"
    r"an option|(?:something|anything) (?:i|im|i am) (?:want|would|will|plan|intend|consider|considering|"
    r"am considering))\b"
)
_DENIALS = frozenset({"none", "no", "never", "nil", "0", "zero", "denied", "nope"})
_LABEL_WORDS = frozenset({"thoughts", "thought", "feelings", "feeling", "urges", "urge", "ideas", "plans", "ideation"})


_RELAPSED = re.compile(r"\b(?:relapsed|relapsing|slipped up|broke (?:my|the) streak|(?:started|starting) again)\b")


_NOT_NOW = re.compile(
    r"\b(?:(?:i )?(?:dont|do not) feel (?:like )?(?:that|it|this|those things) (?:\w+ )?(?:now|anymore|any more|these days)"
    r"|(?:im|i am) (?:\w+ )?(?:very |so |a lot |completely )?different now|not (?:how|what) i (?:feel|think) now"
    r"|(?:havent|have not) (?:had (?:them|it|any|those|one)|cut|self harmed|hurt myself) since"
    r"|(?:thats|that is|its) not (?:me|how i am) (?:now|anymore|any more))\b"
)


def _historical(doc: _Doc, a: int) -> bool:
    start = doc.clause[a]
    end = doc.clause_end(a)
    clause = doc.words(start, end)
    if lex.HISTORY_STRONG.search(clause) and not _RELAPSED.search(clause):
        return True  # round 10: "relapsed after 3 years clean from sh" is not history
    # Only within the clause: read across sentences, "i tried to kill myself in 2019. i have
    # a plan to jump" set the plan aside as history (round 6, reverted). A past attempt
    # beside a present plan is the disclosure that matters most.
    if lex.HISTORY.search(clause) and not lex.RECENT.search(clause):
        return True
    # round 10: disowned as past in what follows ("... all the stuff about wanting to die. i
    # dont feel that now at all")
    # (only where the sentence itself is about the past: a thought this week, disowned, still counts)
    if (_NOT_NOW.search(doc.words(end, len(doc.toks))) and not lex.RECENT.search(clause)
            and lex.HISTORY.search(doc.words(doc.sentence[a], doc.sentence_end(a)))):
        return True
    return (bool(lex.CONTEXT_HISTORY.search(clause)) and not _STILL_GOING.search(clause)  # "6 yrs clean from"
            and not _PRESENT_INTENT.search(clause))


def _desired_not_done(doc: _Doc, a: int) -> bool:
    """'want to hurt myself', 'urges to cut': the act rule yields to the urge rule."""
    lo = max(doc.clause[a], a - 3)
    return any(t.norm in lex.DESIRE for t in doc.toks[lo:a])


# Someone else's words the patient makes their own: "sang that song about ending it all
# and honestly i meant every word", "read her poem about wanting to die, thats exactly
# how i feel". First person only: "she meant every word" stays hers.
_OWNED_WORDS = re.compile(
    r"\b(?:i (?:meant|mean|felt) (?:every (?:word|line|bit) of it|every (?:word|line)|all of it|it)"
    r"|(?:thats|that is|its|it is|which is) (?:exactly |just )?how i (?:feel|felt|am feeling)"
    r"|every (?:word|line) (?:of it )?(?:is|was|felt) (?:true|me|about me|mine)"
    r"|(?:felt|feels|feel) like (?:it|they|she|he) (?:was|were|is|are) (?:written |singing |talking )?about me"
    # round 10: the patient's own told after someone else's ("my friend's been cutting, i
    # gave her the samaritans number, and ive started again too", "... and so have i"; the
    # normaliser drops "so"); "it scares me too" is not
    r"|(?:^|[,.;!?] |\band |\bbut )(?:(?:so )?(?:am|have|do) i(?= [,.;!?]| too|$)|me too|i (?:am|have|do) too"
    r"|(?:ive|i have|i) (?:started|been doing it|begun|relapsed) (?:again )?too"
    r"|(?:ive|i have) (?:started|begun) again|im doing it (?:again|too)))\b"
)


def _other_subject(doc: _Doc, a: int, b: int, source: Source) -> bool:
    matched = {t.norm for t in doc.toks[a:b]}
    if matched & _EXPLICIT_FIRST:
        return False
    patient = lex.MANUAL_PATIENT_WORDS if source is Source.MANUAL else frozenset()
    for k in range(a - 1, doc.clause[a] - 1, -1):
        if doc.toks[k].kind == "comma" and doc.text[doc.toks[k].start] == ":":
            return False  # round 8: "asking for me, not an essay: how many ..." - what follows is said now
        w = doc.toks[k].norm
        if w in lex.FIRST_PERSON or w in patient:
            return False
        if w in lex.THIRD_PERSON:
            return True
    return False


_RECURRING = re.compile(
    r"\b(?:every (?:single )?(?:night|day|morning|evening)|most (?:nights|days|mornings)|all the time|constantly"
    r"|lately|these days|(?:myself|me) again)\b"
)


def _joke(doc: _Doc, a: int, b: int) -> bool:
    """A laugh anywhere in the sentence, or "joking" next to the phrase."""
    sent = [t.norm for t in doc.toks[doc.sentence[a] : doc.sentence_end(a)]]
    if _RECURRING.search(" ".join(sent)):
        return False  # round 10: "lol i pray every night i dont wake up" - a joke is not a habit
    if "lol" in sent:
        return True
    lo, hi = max(doc.sentence[a], a - 3), min(doc.sentence_end(a), b + 5)
    window = [t.norm for t in doc.toks[lo:hi]]
    return any(
        w in {"joking", "kidding"} and (i == 0 or window[i - 1] not in {"not", "no", "im"})
        for i, w in enumerate(window)
    )


def _hypothetical(doc: _Doc, a: int) -> bool:
    return bool(lex.HYPOTHETICAL.search(doc.words(doc.sentence[a], a)))


def _quoted_from_someone_else(doc: _Doc, a: int) -> bool:
    q = doc.quoted[a]
    if q is None:
        return False
    before = doc.words(doc.sentence[q], q)
    if lex.QUOTE_SELF.search(before):
        return False
    if lex.QUOTE_REPORTERS.search(before):
        return True
    close = next((j for j in range(a, len(doc.toks)) if doc.toks[j].kind == "quote"), len(doc.toks))
    after = doc.words(close + 1, min(close + 8, len(doc.toks)))
    return bool(lex.QUOTE_AFTER_OTHER.search(after))


def _thought_exercise(doc: _Doc, a: int) -> bool:
    """Quoted words worked on in a CBT exercise: "thought: 'they'd be better off without
    me'. belief 40%. alternative: ..." (a thought labelled before the quote, and the
    work on it — a rating, evidence, an alternative — somewhere in the message)."""
    q = doc.quoted[a]
    if q is None:
        return False
    before = doc.words(max(doc.sentence[q], q - 6), q)
    return bool(lex.THOUGHT_LABEL.search(before)) and bool(lex.THOUGHT_WORK.search(doc.norm))


def _accidental(doc: _Doc, a: int, b: int, self_harm: bool) -> bool:
    """An accident marker near the phrase ("burnt myself on the oven", "cut it chopping")."""
    lo = max(doc.sentence[a], a - 6)
    hi = min(doc.sentence_end(a), b + 8)
    window = doc.words(lo, hi)
    if '" accidentally "' in window or '" by accident "' in window:
        return False  # round 10: "i keep 'accidentally' burning my wrists"
    if lex.ACCIDENT_EXPLICIT.search(window):
        return True
    return self_harm and bool(lex.ACCIDENT.search(window))


# round 11: the absence taken back ("booked a travelodge for friday. its not a holiday")
_ABSENCE_DENIED = re.compile(
    r"\bnot (?:a |really a )?(?:holiday|trip)\b|\bnot (?:really |actually )?going (?:travelling|away|on holiday)\b"
)


def _benign_absence(doc: _Doc, a: int) -> bool:
    sent = doc.words(doc.sentence[a], doc.sentence_end(a))
    return bool(lex.BENIGN_ABSENCE.search(sent)) and not _ABSENCE_DENIED.search(sent)


def _asked_and_denied(doc: _Doc, a: int) -> bool:
    """A screening question quoted back and answered no ("you asked if ... no, I haven't")."""
    before = doc.words(doc.sentence[a], a)
    if lex.DENIAL_BEFORE.search(before):
        return True  # "scored 0 on the better off dead one"
    after = doc.words(a, len(doc.toks))
    if not (lex.QUESTION_FRAME.search(before) or _ITEM_AFTER.match(after)):
        return False
    denial = lex.DENIAL_ANSWER.search(after)
    # round 8: "... no, i lied, it's every day" is not an answer of no
    return denial is not None and not _TAKEN_BACK.search(after, denial.end())


# round 10: "the thoughts of ending my life item i put not at all"
_ITEM_AFTER = re.compile(r"(?:\S+ ){0,6}(?:item|question|one|bit) (?:i|we) (?:put|scored|ticked|answered|circled|said)\b")
_TAKEN_BACK = re.compile(
    r"\b(?:but|lied|lie|lying|honest|truth|actually|really|yes|every|most|still|not true)\b"
)


def _general_question(doc: _Doc, a: int, b: int) -> bool:
    """A risk word as the subject of a general question, not the patient's experience
    (round 8): "what's the difference between self harm and suicide", "what does 'passive
    suicidal ideation' actually mean". Only these two shapes, with nobody in between:
    "what does it mean if i self harm every night" is the patient's own."""
    before = doc.words(max(doc.sentence[a], a - 6), a)
    after = doc.words(b, min(doc.sentence_end(a), b + 4))
    if _DIFFERENCE.search(before):
        return True
    if _SAME_AS.match(doc.words(b, min(doc.sentence_end(a), b + 8))) and "?" in doc.text:
        return True  # round 10: "is passive suicidal ideation the same as intrusive thoughts?"
    return bool(_WHAT_DOES.search(before) and _MEANS.match(after))


_DIFFERENCE = re.compile(r"(?:^| )difference (?:is )?between(?: \")?$")
_WHAT_DOES = re.compile(r"(?:^| )what (?:does|do|is)(?: the (?:word|term|phrase))?(?: \")?(?: (?!(?:i|im|my|me)\b)\w+){0,2}$")
_SAME_AS = re.compile(r"(?:(?!(?:i|im|my|me)\b)\w+ ){0,3}(?:the same (?:thing )?as|different (?:from|to|than))\b")
# round 10: "a module on self harm", "reading a book with loads of self harm in it"
_TOPIC_BEFORE = re.compile(
    r"\b(?:module|course|training|lecture|lesson|assembly|workshop|leaflet|essay|article|podcast|documentary"
    r"|dissertation|thesis|assignment|research|presentation)"  # round 11
    r" (?:on|about)(?: the)?$"
)
_MEANS = re.compile(r"(?:(?!(?:i|im|my|me)\b)\w+ ){0,2}(?:\" )?(?:actually |really |even )?mean\b")


def _topic_not_experience(doc: _Doc, a: int, b: int) -> bool:
    """A risk word naming a topic: "self harm awareness", "suicide prevention"."""
    for i in range(a + 1, min(b + 1, len(doc.toks))):
        if doc.toks[i].norm in lex.TOPIC_NOUNS and doc.toks[i - 1].norm in lex.TOPIC_HEADS:
            return True
    return bool(_TOPIC_BEFORE.search(doc.words(max(0, a - 4), a)))


def _rejection(doc: _Doc, c: _Compiled, a: int, b: int, source: Source) -> str | None:
    """Why a match does not count ("negation", "history", ...), or None when it does.

    The reasons in :data:`FALSE_ALARM_REASONS` are the ones a clinician would
    give for setting the words aside; ``context``, ``unless`` and ``urge`` only
    say that this particular rule does not apply."""
    rule = c.rule
    if any(i in doc.masked for i in range(a, b)):
        return "idiom"
    if c.veto is not None:
        lo, hi = _scope(doc, c, a)
        if (c.veto.search(doc.norm, doc.offsets[lo], _end_offset(doc, hi))
                and not (_COVER_FOR_RULES.search(doc.norm) or _WITH_THE_MEANS.search(doc.norm))):
            return "benign context"
    if c.category in _INTRUSIVE_THEMES and doc.intrusive_thought():
        return "intrusive thought"  # "the thought of pushing someone onto the tracks pops up, i'm horrified"
    if _topic_not_experience(doc, a, b):
        return "topic"
    if (c.category in _PERSONAL and _general_question(doc, a, b)
            and not (_OWN_RISK.search(doc.norm) or _ASKING_FOR_ME.search(doc.norm))):
        return "hypothetical"
    if c.category not in _SELF_DIRECTED and doc.someone_elses_story():
        return "topic"  # "watched a documentary about county lines", a programme about scams
    if _asked_and_denied(doc, a):
        return "question answered no"
    if rule.context is not None and not rules.CONTEXTS[rule.context].search(doc.norm):
        return "context"
    if rule.unless is not None and rules.CONTEXTS[rule.unless].search(doc.norm):
        return "unless"
    if rule.negation and _negated(doc, a, b):
        return "negation"
    if rule.act and _desired_not_done(doc, a):
        return "urge"
    if rule.history and _historical(doc, a):
        return "history"
    check_subject = rule.subject if rule.subject is not None else c.category in _PERSONAL
    if check_subject and _other_subject(doc, a, b, source) and not _OWNED_WORDS.search(doc.norm):
        return "someone else"
    if c.category in _PERSONAL and _hypothetical(doc, a):
        return "hypothetical"
    if rule.jokes and c.category in _JOKEABLE and _joke(doc, a, b):
        return "joke"
    if c.category in _ACCIDENTAL and _accidental(doc, a, b, c.category is Category.SELF_HARM):
        return "accident"
    if c.category is Category.SUICIDE_PLAN and _benign_absence(doc, a):
        return "benign absence"
    if _quoted_from_someone_else(doc, a):
        return "someone else's words"
    if _thought_exercise(doc, a):
        return "thought record"
    return None


def _accept(doc: _Doc, c: _Compiled, a: int, b: int, source: Source) -> bool:
    return _rejection(doc, c, a, b, source) is None


# ---------------------------------------------------------------- fast path
#
# Most chat lines ("see you thursday", "did my diary") hold no word that any
# rule could start from.  Every literal word of every rule pattern, co-occurrence
# part and context class, minus pure function words, forms the *gate*; a line
# none of whose normalised words starts with a gate word returns at once.


def _drop_lookarounds(src: str) -> str:
    """The regex without its ``(?!...)``, ``(?<!...)``, ``(?=...)`` groups: words there are not needed."""
    out: list[str] = []
    i = 0
    while i < len(src):
        if src.startswith(("(?!", "(?<!", "(?=", "(?<="), i) and (i == 0 or src[i - 1] != "\\"):
            depth = 0
            while i < len(src):
                if src[i] == "\\":
                    i += 2
                    continue
                if src[i] == "(":
                    depth += 1
                elif src[i] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            i += 1
            continue
        out.append(src[i])
        i += 1
    return "".join(out)


def _gate_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words some part of a rule must contain (anchor and co-occurrence parts; no vetoes)."""
    sources: list[str] = []
    for r in rules.RULES:
        sources.append(rules.expand(r.pattern))
        sources.extend(rules.expand(p) for p in r.also)
    words: set[str] = set()
    for src in sources:
        src = re.sub(r"\\[a-zA-Z]", " ", _drop_lookarounds(src))  # \w, \d, \b are not words
        words.update(w for w in re.findall(r"[a-z]+", src) if len(w) > 1)
    words -= lex.GATE_STOP
    exact = frozenset(w for w in words if len(w) < 4)
    prefixes = frozenset(w for w in words if len(w) >= 4)
    return exact, prefixes


_GATE_EXACT, _GATE_PREFIXES = _gate_words()
_GATE_TOKEN = re.compile(r"[^\s.,;:?()\[\]\"“”/…]+")


@lru_cache(maxsize=65536)
def _risky_word(raw: str) -> bool:
    if any(ch in lex.EMOJI_WORDS for ch in raw):
        return True  # round 8: "💊💊💊" is a word to the rules
    for part in raw.split("-"):
        if not part:
            continue
        for norm in _normalise_word(part):
            if norm in _GATE_EXACT or norm in _GATE_PREFIXES:
                return True
            for k in range(4, len(norm)):
                if norm[:k] in _GATE_PREFIXES:
                    return True
    return False


def _may_hold_risk(text: str) -> bool:
    """False only when no word of ``text`` could start any rule (the fast path)."""
    return any(_risky_word(w) for w in _GATE_TOKEN.findall(text))


# Round 11: harm from or to someone else with the danger present or tonight is urgent, whatever
# the phrase's own severity ("he hit my daughter with his belt again tonight. he's still in the
# house", "my nan says a night carer slaps her and she's back there tonight"). Not "alone with
# him": "scared to be alone with him when hes been drinking" is a fear, not tonight.
_IMMEDIATE = re.compile(
    r"\b(?:tonight|right now|just now|an hour ago|hours ago|this morning|earlier today|on (?:his|her|their) way"
    r"|(?:hes|shes|he is|she is|theyre|they are) (?:still )?(?:home|back|here|outside|coming|in the (?:house|front room|next room))"
    r"|(?:still|is still) (?:in the house|here|in the (?:front room|next room))"
    r"|when (?:he|she|they) (?:gets?|comes?) (?:home|back|in|round)|back there (?:tonight|today))\b"
)
_TOWARD_OTHERS = frozenset(
    {Category.HARM_TO_OTHERS, Category.SAFEGUARDING_CHILD, Category.SAFEGUARDING_ADULT, Category.DOMESTIC_ABUSE}
)


def _raised_when_immediate(best: dict[Category, Severity], norm: str) -> dict[Category, Severity]:
    if not any(c in _TOWARD_OTHERS and s is Severity.HIGH for c, s in best.items()) or not _IMMEDIATE.search(norm):
        return best
    return {c: Severity.URGENT if c in _TOWARD_OTHERS and s is Severity.HIGH else s for c, s in best.items()}


# ---------------------------------------------------------------- public API


def screen_text(text: str, source: Source = Source.SESSION) -> Screening:
    """Screen one piece of typed text (a chat line, a message, a free-text answer)
    with the rules alone. The whole screener, rules and the learned layer, is
    ``chat_server.screening.screen``: that is what patient text goes through.

    ``source`` matters for therapist notes (``Source.MANUAL``), where "she" and
    "the client" are the patient rather than somebody else.
    """
    if not text or not text.strip():
        return NO_RISK
    if not _may_hold_risk(text):
        return NO_RISK
    doc = _Doc(text)
    if not doc.toks:
        return NO_RISK
    best: dict[Category, Severity] = {}
    spans: dict[Category, list[tuple[int, int]]] = {}
    for c in _candidates(doc.norm):
        for m in c.regex.finditer(doc.norm):
            a, b = doc.token_span(m)
            if not _accept(doc, c, a, b, source):
                continue
            found = [(a, b)]
            if c.parts:
                extra = _co_occurring(doc, c, a, source)
                if extra is None:
                    continue
                found += extra
            current = best.get(c.category)
            if current is None or _SEVERITY_RANK[c.severity] < _SEVERITY_RANK[current]:
                best[c.category] = c.severity
            for x, y in found:
                spans.setdefault(c.category, []).append((doc.toks[x].start, doc.toks[y - 1].end))
    if Category.SUICIDE_PLAN in best or Category.DOMESTIC_ABUSE in best:
        best, spans = _renamed(best, spans, text)
    best = _raised_when_immediate(best, doc.norm)
    findings = [Finding(cat, sev, _triggers(text, spans[cat])) for cat, sev in best.items()]
    findings.sort(key=lambda f: (_SEVERITY_RANK[f.severity], _CATEGORY_RANK[f.category]))
    return Screening(tuple(findings))


def renamed_category(category: Category, text: str) -> Category:
    """The category a clinician would file this under, when the words say more (round 6).

    An overdose or act "not to die, just to punish myself" is self-harm, not a
    suicide plan; a patient who says they are under 18 and is hurt at home
    ("im 14, my stepdad hits me") is a child to safeguard, not domestic abuse
    between adults. Used for the rules' findings and the learned layer's."""
    if category is Category.SUICIDE_PLAN and lex.NOT_TO_DIE.search(_APOSTROPHES.sub("", text.lower())):
        return Category.SELF_HARM
    if category is Category.DOMESTIC_ABUSE and lex.SELF_STATED_MINOR.search(_APOSTROPHES.sub("", text.lower())):
        return Category.SAFEGUARDING_CHILD
    return category


def says_a_plan(text: str) -> bool:
    """The message names a method or means, a place, a date or time, means gathered,
    letters or affairs, or intent (round 7, :data:`clinical.risk_lexicon.PLAN_WORDS`).
    Without one of these, thoughts of being dead are ideation, not a plan."""
    return bool(lex.PLAN_WORDS.search(lex.NO_PLAN.sub(" ", _APOSTROPHES.sub("", text.lower()))))


def unplanned_category(text: str) -> Category | None:
    """What a message named as a plan is when it says none (round 7): self-harm when
    it speaks of an act on the body and not of dying, ideation when it speaks of
    wishing to be dead, else None (keep the name: an oblique plan is told in words
    no list holds, "the hook in the hallway held")."""
    low = _APOSTROPHES.sub("", text.lower())
    if lex.SELF_HARM_WORDS.search(low) and not lex.SUICIDE_WORDS.search(low):
        return Category.SELF_HARM
    if lex.IDEATION_WORDS.search(low):
        return Category.SUICIDAL_IDEATION
    return None


def _renamed(
    best: dict[Category, Severity], spans: dict[Category, list[tuple[int, int]]], text: str
) -> tuple[dict[Category, Severity], dict[Category, list[tuple[int, int]]]]:
    out: dict[Category, Severity] = {}
    out_spans: dict[Category, list[tuple[int, int]]] = {}
    for cat, sev in best.items():
        new = renamed_category(cat, text)
        if new not in out or _SEVERITY_RANK[sev] < _SEVERITY_RANK[out[new]]:
            out[new] = sev
        out_spans.setdefault(new, []).extend(spans[cat])
    return out, out_spans


def _end_offset(doc: _Doc, j: int) -> int:
    """Offset in ``doc.norm`` just past token ``j - 1``."""
    if j <= 0:
        return 0
    j = min(j, len(doc.toks))
    return doc.offsets[j - 1] + len(doc.toks[j - 1].norm)


def _scope(doc: _Doc, c: _Compiled, a: int) -> tuple[int, int]:
    """Token range [lo, hi) where a rule's ``also`` parts and ``veto`` are looked for."""
    if c.rule.scope == "message":
        return 0, len(doc.toks)
    if c.rule.scope == "sentence":
        return doc.sentence[a], doc.sentence_end(a)
    return doc.clause[a], doc.clause_end(a)


def _co_occurring(doc: _Doc, c: _Compiled, a: int, source: Source) -> list[tuple[int, int]] | None:
    """Spans of every ``also`` part in the anchor's clause (or sentence), each accepted."""
    lo, hi = _scope(doc, c, a)
    start, end = doc.offsets[lo], _end_offset(doc, hi)
    out: list[tuple[int, int]] = []
    for rx in c.parts:
        hit = None
        for m in rx.finditer(doc.norm, start, end):
            pa, pb = doc.token_span(m)
            if any(i in doc.masked for i in range(pa, pb)):
                continue
            if c.rule.negation and _negated(doc, pa, pb):
                continue
            if c.category in _SELF_DIRECTED and _other_subject(doc, pa, pb, source):
                continue
            hit = (pa, pb)
            break
        if hit is None:
            return None
        out.append(hit)
    return out


def _triggers(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Original substrings, in reading order, overlapping spans merged."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    seen: list[str] = []
    for s, e in merged:
        piece = text[s:e]
        if piece not in seen:
            seen.append(piece)
    return tuple(seen)


FALSE_ALARM_REASONS = frozenset(
    {
        "idiom",
        "benign context",
        "topic",
        "question answered no",
        "negation",
        "history",
        "someone else",
        "hypothetical",
        "joke",
        "accident",
        "benign absence",
        "someone else's words",
        "thought record",
        "intrusive thought",
        "low mood",
        "health anxiety",
    }
)


def false_alarm_reasons(text: str, source: Source = Source.SESSION) -> tuple[str, ...]:
    """Why risk words in ``text`` were set aside, when the rules flag nothing.

    A rule matched, but a clinician would not count it: "I'm not suicidal"
    (negation), "I used to self-harm years ago" (history), "this homework is
    killing me" (idiom), "my friend cuts" (someone else), a quoted screening
    question answered no. A concept rule counts only when its other parts are
    there too. Since round 6 the message's context counts as well, with or
    without a risk word: a denial ("no thoughts of ending anything", "i'm
    safe"), resolved history ("at 17 ... i'm 45 now", "6 yrs clean"), a CBT
    exercise, screening form or intrusive thought worked on, or someone else's
    story (a documentary, a patient on shift) (:func:`context_reasons`); since
    round 7 an intrusive (OCD-style) thought the writer disowns, the news, a
    character, and someone else's suicide or self-harm told.
    Empty when the rules found risk, or nothing to set aside. The learned
    layer uses this to hold back its weak hits (:func:`clinical.risk_model.combine`)."""
    if not text or not text.strip():
        return ()
    reasons: list[str] = []
    if _may_hold_risk(text):
        doc = _Doc(text)
        for c in _candidates(doc.norm):
            for m in c.regex.finditer(doc.norm):
                a, b = doc.token_span(m)
                why = _rejection(doc, c, a, b, source)
                if why is None:
                    if not c.parts or _co_occurring(doc, c, a, source) is not None:
                        return ()
                    continue
                if why not in FALSE_ALARM_REASONS:
                    continue
                if c.parts and _co_occurring(doc, c, a, source) is None:
                    continue
                if why not in reasons:
                    reasons.append(why)
        if doc.masked and "idiom" not in reasons:
            reasons.append("idiom")  # "this homework is killing me": no rule needs to match
    for why in context_reasons(text):
        if why not in reasons:
            reasons.append(why)
    return tuple(reasons)


_APOSTROPHES = re.compile(r"['’‘`]")
_STILL_GOING = re.compile(
    r"\b(?:again|relapse\w*|last night|tonight|yesterday|this week|this morning|came back|comes back|"
    r"is back|are back|lately|recently|right now|at the moment|these days|"
    r"still (?:around|happening|doing|does|at it|there|in (?:the|my|our) li(?:f|v)es?))\b"
)
# A present plan or intent beside history or a denial: neither settles anything then.
_PRESENT_INTENT = re.compile(
    r"\b(?:(?:a|my|the) plan|going to|gonna|decided|(?:got|have|has) (?:the|them|it) ready|this time"
    r"|want(?:s|ed)? to (?:die|end|kill|hurt|be dead)|do it (?:properly|right)|finish (?:it|the job)"
    r"|(?:hits|hitting|beats|beating|touches|touching) (?:me|her|him|them|my))\b"
)
# Round 7: the patient's own risk beside someone else's story or an intrusive thought;
# a "want to" counts unless it is denied ("i'd never want to hurt her").
_OWN_RISK = re.compile(
    r"\b(?:(?:i|id|ive|im|part of me)(?: (?!dont|never|not|didnt|wouldnt)\w+)? want(?:s|ed)? to (?:die|end|kill|hurt|be dead"
    r"|act|jump|do it|disappear)|(?:im|i am|i feel|i felt|feeling|i was|ive been|i get|i got) (?:so |really |very |quite |a bit "
    r"|pretty )?suicidal|kill(?:ing)? myself|end(?:ing)? (?:it|my life|myself)"
    r"|(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|starv\w+) myself|self ?harm(?:ing)? again"
    r"|(?:a|my|the) plan|planning|decided|made my mind up|(?:im|i am|ill|i will) (?:going to |gonna )?(?:do it|end|jump|take)"
    r"|(?:got|have|has|bought|saved|saving|collected|collecting|taking) (?:\w+ ){0,3}(?:ready|rope|pills|tablets|meds|knife|blade|home)"
    r"|should (?:follow|join|do the same|go the same)|(?:follow|join) (?:him|her|them)|(?:had|has) the right idea"
    r"|jealous|envious|envy|(?:could|should|wish it) (?:be|was|were) me|i (?:get|understand) (?:it|why)(?! now)|me too|same for me"
    r"|how easy it (?:would|d) be|(?:do|doing|go) the same|the same way|(?:work\w*|worked|figur\w*) out how|how to do it"
    r"|ive started (?:\w+ing)|started writing|climbed|looked up|looking up"
    r"|reading up|researched|meaning it|meant it|not (?:just )?(?:the |my )?ocd|isnt (?:just )?(?:the |my )?ocd"
    # round 10: "its not like those thoughts you said are ocd, i actually want to"
    r"|not like (?:\w+ ){0,5}ocd|(?:wasnt|was not) (?:just )?(?:the |my )?ocd"
    r"|i (?:actually|genuinely|really|properly) want(?:ed)? to(?= ?[,.!?]|$)"
    r"|(?:dont|doesnt|didnt) feel like (?:the |my )?ocd|not like my ocd|(?:not|no longer|isnt|arent) (?:scared|frightened|horrified|scary)"
    r"|(?:dont|doesnt) (?:scare|frighten|horrify|bother) me|(?:feels?|felt) (?:good|calm|right|like (?:a )?relief|peaceful)"
    r"|a relief|agree with (?:it|them)|want them|angry|anger|rage|furious|temper|wound up|(?:hate|despise) (?:him|her|them)"
    r"|used to (?:horrify|scare|frighten|terrify|upset)"
    r"|(?:got|have|has|keep|kept) (?:one|a knife|the knife|it|them) (?:\w+ ){0,3}(?:ready|under my pillow|by (?:my|the) bed)"
    r"|stood (?:on|at|by) the (?:\w+ )?(?:edge|platform|railing|ledge)"
    r"|(?:my|a|the) way out|(?:going|go|heading|drive|driving) (?:up |down |out )?there (?:tonight|tomorrow|later|now|this)"
    r"|(?:made me|makes me|i) (?:realise|realize|see|think) (?:thats|that is|its|it is|it could be) (?:me|my|what i|how i)"
    r"|(?:doing|did|do) what (?:the song|it|she|he|they) (?:says|said)|(?:when|after|once) im gone"
    r"|picked it for|so close to the same|(?:like|as) (?:she|he|they) did|my own (?:tapes|note|letter)|what i want"
    r"|(?:put|hid|hidden|keep|kept|got|have) (?:a|the|one|my) (?:\w+ )?(?:knife|blade|rope|pills|tablets) (?:\w+ ){0,2}"
    r"(?:under|by|in) (?:my|the) (?:bed|pillow|bag|pocket|car|drawer by)"
    r"|part of me (?:\w+ )?wants?|(?:dont|do not|didnt) want (?:it |them |that |the thoughts? )?to stop"
    r"|i (?:kind of |sort of |almost )?(?:like|enjoy|want) (?:it|the thoughts?|the images?|the idea|them)\b"
    r"|(?:isnt|not) (?:a )?fear|i get why"
    r")\b"
)
# ... and for someone else's story, that it goes on and needs someone to act.
_GOES_ON = re.compile(
    r"\b(?:nothing (?:happened|was done|has changed|changed)|no one (?:did|listened|believed)|new bruises|again|still"
    r"|(?:im|i am) (?:worried|scared) (?:about|for)|what (?:do|should) i do)\b"
)
# "the documentary made me realise my uncle is doing the same to my daughter": a story
# that someone close to the patient is living now is not someone else's story.
_CLOSE_TO_HOME = re.compile(
    r"\b(?:(?:same|that|this) (?:thing|stuff) (?:is )?happen\w* (?:to|at|in) (?:me|us|my|our)"
    r"|(?:doing|does|did) (?:the )?same (?:thing )?to (?:me|us|my|our)"
    r"|(?:realis|realiz|recognis|recogniz)e[sd]? (?:that )?(?:my|our|me|i|we|its|this is)"
    r"|(?:sounds|sounded|looks|looked) (?:just )?like (?:my|our|me|us|what)"
    r"|(?:thats|that is|its|it is) (?:exactly )?(?:what|how) (?:my|our|he|she|they) "
    r"|(?:thats|that is|is) (?:exactly )?my (?:stepdad|dad|mum|husband|wife|partner|boyfriend|girlfriend|brother|sister"
    r"|uncle|son|daughter|house|life|family)\b|(?:did|does|do) (?:exactly )?that to me)"
)


def _brought_home(low: str) -> bool:
    """The story is the patient's own, or goes on and needs someone to act (round 7)."""
    return bool(_CLOSE_TO_HOME.search(low) or _OWN_RISK.search(low) or _PRESENT_INTENT.search(low)
                or _GOES_ON.search(low))


def _media_story(low: str) -> bool:
    """Media, teaching or a job is the subject (round 6's words), and the message does not
    bring it home. What the rules read: "as a teacher i reported her bruises twice and
    nothing happened" is not set aside (round 7)."""
    return bool(lex.CONTEXT_MEDIA.search(low)) and not _brought_home(low)


def _someone_elses_story(low: str) -> bool:
    """Media, the news, a character, teaching or a job is the subject, and the message
    does not bring it home (round 7: nor say the patient's own risk or that it goes on).
    Only holds the model back: the wider words (a pupil, a resident, the news) never
    set a rule finding aside."""
    return bool(lex.CONTEXT_MEDIA.search(low) or lex.CONTEXT_STORY.search(low)) and not _brought_home(low)


def _someone_elses_act(low: str) -> bool:
    """Someone else's suicide, self-harm or injury told, with no risk of the patient's own
    beside it (round 7): "my best mate attempted years ago, she's a gp now"."""
    return bool(lex.CONTEXT_OTHERS_ACT.search(low)) and not _brought_home(low)


def _intrusive_thought(low: str) -> bool:
    """An intrusive (OCD-style) thought of harm the writer is distressed by and disowns
    (round 7): named as such, or a harm image or "what if i ..." beside fear or "i'd
    never". Yields to the patient's own intent, plan or act ("... and tonight i stood
    on the platform edge meaning it", "it's not the ocd, i want to")."""
    named = lex.INTRUSIVE_NAMED.search(low)
    thought = lex.INTRUSIVE_THOUGHT.search(low)
    cue = named or thought
    if cue is None or not (named or lex.INTRUSIVE_DISTRESS.search(low)):
        return False
    if _OWN_RISK.search(low) or _PRESENT_INTENT_UNDENIED.search(low) or _OWN_DEATH.search(low):
        return False
    # "my ocd tells me i'll hurt my son but honestly i've been shaking him when he cries":
    # an act told after the thought is not a thought, nor risk the rules find after a "but".
    after = low[cue.end():]
    return not (_ACTED_ON_SOMEONE.search(after)
                or any(screen_text(low[m.end():]).is_risk for m in _CONTRAST.finditer(low, cue.end())))


_ACTED_ON_SOMEONE = re.compile(
    r"\b(?:i|ive|i have|i had)(?: (?!will|would|could|might|may|gonna|going|to|wont|wouldnt|dont|never|not)\w+){0,2}"
    r" (?:hit|shook|shaking|slapp\w*|smack\w*|grabb\w*|pushed|pushing|shoved|shoving|kicked|kicking|punched|punching"
    r"|pinch\w*|squeezed|squeezing|strangled|choked|choking|threw|throwing|bit|burned|burnt)"
    r" (?:him|her|them|my|the|our|his)\b"
)


# Thoughts of one's own death are ideation to ask about, whatever they are called
# ("intrusive thoughts of suicide every day and i'm scared"); "not suicidal" is not one.
_OWN_DEATH = re.compile(
    r"\b(?:(?<!not )(?<!never )(?<!isnt )(?<!arent )suicid\w*|dying|(?:be|being) dead|better off dead"
    r"|take my (?:own )?life|my (?:own )?death|not (?:be|being) here|not wake up"
    r"|(?:dont|do not|didnt) (?:even |really )?want to (?:be here|live|be alive|wake up|go on|exist|be around|carry on)"
    r"|(?<!dont )(?<!do not )(?<!didnt )(?<!never )want(?:ed)? to (?:die|not exist|sleep forever|not wake)"
    r"|better off without me|end it all"
    r"|no (?:point|reason) (?:in )?(?:living|going on|being here|carrying on))\b"
)

# _PRESENT_INTENT without the fear-framed "going to" of an intrusive thought ("scared i'm going to snap").
_PRESENT_INTENT_UNDENIED = re.compile(
    r"\b(?:(?:a|my|the) plan|decided|(?:got|have|has) (?:the|them|it) ready|this time"
    r"|do it (?:properly|right)|finish (?:it|the job)|(?:hits|hitting|beats|beating|touches|touching) (?:me|her|him|them|my))\b"
)


# "calling it a declutter, really i don't want anyone to sort it after i'm gone": an everyday
# purpose given as a cover, or beside a plan or words of one's own death ("since the new
# baby arrived i think about not being here"), does not set the message aside (round 7).
_COVER_STORY = re.compile(
    r"\b(?:not (?:really |actually )?for (?:a|an|any|the)|calling it|call it|pretend\w*|cover (?:story|for)"
    r"|(?:tell|told|telling) (?:everyone|them|people|my \w+)(?: that)? (?:its|it is|they are|theyre|the)"
    r"|so (?:they|no one|nobody|noone) (?:wont|wouldnt|doesnt|dont)|(?:when|after|once) im gone|wont be (?:here|around|needing)"
    r"|(?:a|my|the) plan|decided|made my mind up|for when im ready|its not for)\b"
)

# The patient's own risk told beside an everyday purpose ("rope swing for the kids is up. i
# tested it with my own weight and thought how easy it would be"). Narrower than _OWN_RISK,
# whose "bought ... rope" is the purpose itself ("bought rope for the tyre swing").
_BESIDE_A_PURPOSE = re.compile(
    r"\b(?:how easy it (?:would|d) be|(?:tested|testing|tried) it (?:with|on) (?:my|me)|kill(?:ing)? myself"
    r"|end(?:ing)? (?:it all|my life|myself)|(?:cut|cutting|burn|burning|hurt|hurting|harm|harming) myself"
    r"|(?:im|i am|i feel|feeling) (?:so |really )?suicidal|(?:my|the) way out)\b"
)
# A wish to be dead, which no everyday or medical purpose explains (round 8 review): "side
# effects are grim and honestly i can't go on like this" (_OWN_DEATH has no "can't go on").
# Never the denials that IDEATION_WORDS also holds for naming.
_WISH_TO_DIE = re.compile(
    r"\b(?:(?:want|wanted|wanting|wish|wishing|rather|prefer to) (?:to )?(?:just )?(?:die|be dead|disappear|not exist|not be here"
    r"|not wake up|stop existing|go to sleep and not)|(?:thoughts?|thinking|think|thought) (?:about|of) (?:dying|death|being dead"
    r"|not being here|suicide|killing myself|ending it|not existing)|better off (?:dead|without me)|(?:never|not) wak(?:e|ing) up"
    r"|(?:dont|do not) want to (?:be here|live|exist|wake up|be alive|be around|go on)|no point (?:in )?(?:living|being here"
    r"|going on|carrying on|me being here)|tired of (?:living|being alive|existing|life)|cant (?:go on|hold on|keep going|do this any ?more)"
    r"|wouldnt (?:mind|care) if (?:i|it)|waiting to die)\b"
)


# Being with the means, which no everyday purpose told elsewhere in the message explains
# (round 8 review): "went fishing, then sat in the car with the pills for an hour", "was
# hanging the washing then sat in the garage with the rope". Read by the message context
# and by the rules' benign-use vetoes.
_WITH_THE_MEANS = re.compile(
    r"\b(?:(?:sat|sitting|sit|stood|standing|lay|lying|parked|waited|waiting) (?:\w+ ){0,5}with (?:the|a|my|some|all the"
    r"|all my) (?:\w+ )?(?:rope|pills|tablets|blades?|razors?|knife|belt|cord|cable|ligature|hosepipe)"
    r"|(?:counted|counting|lined|lining|laid|laying) (?:them |it )?(?:out|up) (?:\w+ ){0,2}(?:pills|tablets|blades?|razors?)"
    r"|(?:counted|counting|lined up|laid out) (?:the|my|all|all the|all my|\d+) (?:\w+ )?(?:pills|tablets|blades?|razors?))\b"
    # round 10: a week's doses sorted is not means laid out
    r"(?! (?:\w+ ){0,3}(?:dosette|pill organi[sz]er|blister|weekly (?:pill )?box))"
)

# "i'm safe for now but i've written the letters": what follows a denial's "but" counts.
_CONTRAST = re.compile(r"\b(?:but|though|although|however|except|yet)\b")


def context_reasons(text: str) -> tuple[str, ...]:
    """Reasons in the whole message's context (round 6), with or without a risk word.

    Only ever hold back the learned layer (a score under the veto bar, the
    urgent lean); the rules' own findings do not read them. A denial or
    history yields to a present plan or intent in the message, a denial also
    to what follows its "but", history to anything saying it is back or now."""
    low = _APOSTROPHES.sub("", text.lower())
    out: list[str] = []
    present = _PRESENT_INTENT.search(low)
    denial = lex.CONTEXT_DENIAL.search(low)
    if denial and not present and not _CONTRAST.search(low, denial.end()):
        out.append("negation")
    if lex.CONTEXT_HISTORY.search(low) and not _STILL_GOING.search(low) and not present:
        out.append("history")
    if lex.CONTEXT_EXERCISE.search(low) and not _worked_on_now(low):
        out.append("thought record")
    if _intrusive_thought(low):
        out.append("intrusive thought")
    if _someone_elses_story(low):
        out.append("topic")
    if _someone_elses_act(low):
        out.append("someone else")
    if (lex.CONTEXT_HANDED_ON.search(low) and lex.CONTEXT_THIRD_PARTY.search(low) and not _brought_home(low)
            and not _OWN_DEATH.search(low) and not _HANDED_ON_ME.search(low) and "someone else" not in out):
        out.append("someone else")  # round 9: handed on ("camhs are involved", "i rang the school dsl")
    if (
        lex.CONTEXT_PURPOSE.search(low)
        or lex.CONTEXT_PURPOSE_MORE.search(low)
        or lex.CONTEXT_ENDING.search(low)
        or lex.CONTEXT_CARE.search(low)
        or lex.CONTEXT_SCHEDULING.search(low)
        or lex.CONTEXT_EVERYDAY.search(low)
        or (lex.CONTEXT_JOB.search(low) and not _OWN_RISK.search(low))
        or (lex.CONTEXT_SETTLED.search(low) and not (_VIOLENCE.search(low) or _ACTED_ON_SOMEONE.search(low)))
    ) and not (_COVER_STORY.search(low) or _PRESENT_INTENT_UNDENIED.search(low) or _OWN_DEATH.search(low)
               or _BESIDE_A_PURPOSE.search(low) or _COVER_FOR_RULES.search(low) or _WITH_THE_MEANS.search(low)
               or _WISH_TO_DIE.search(low) or _ON_PURPOSE.search(low)):
        out.append("benign context")
    if lex.CONTEXT_ACCIDENT.search(low):
        out.append("accident")
    if lex.CONTEXT_HEALTH_FEAR.search(low) and not (
            _WISH_TO_DIE.search(low) or _OWN_RISK.search(low) or _PRESENT_INTENT_UNDENIED.search(low)
            or _WITH_THE_MEANS.search(low)
            or _COVER_STORY.search(low)):
        out.append("health anxiety")
    if lex.CONTEXT_IDIOM.search(low):
        out.append("idiom")
    if lex.CONTEXT_LOW_MOOD.search(low) and not _darker_than_low_mood(low):
        out.append("low mood")
    if lex.CONTEXT_QUESTION.search(low) and not (_own_risk_told(low) or _ASKING_FOR_ME.search(low)):
        out.append("hypothetical")
    return tuple(out)


# Round 10: a settled row or a child's discipline holds nothing back where someone was hurt,
# grabbed or frightened.
_VIOLENCE = re.compile(
    r"\b(?:hit|hits|hitting|slap\w*|punch\w*|push\w*|shov\w*|grabb?\w*|threw|throw\w*|chok\w*|strangl\w*|kick\w*"
    r"|bruis\w*|smack\w*|belt\w*|shak\w*|(?:scared|afraid|frightened|terrified) of (?:him|her|them)|hurt (?:me|him|her|them)"
    r"|locked|wont let me|dont let me|doesnt let me|not allowed)\b"
)


# Round 10 review: an everyday setting does not excuse what was done in it on purpose ("hit my
# hand with the hammer on purpose", "fasting to punish myself").
_ON_PURPOSE = re.compile(
    r"\b(?:on purpose|deliberately|to punish (?:myself|me)|so (?:i|that i) (?:could|would|can) feel|because i deserve)\b"
)


# The patient is the one handed on (round 9 review): "my sister called 999 after she found me,
# the crisis team are involved now" is the patient's own crisis, whoever made the call.
_HANDED_ON_ME = re.compile(
    r"\b(?:found me|about me|for me|took me|taken me|brought me|drove me|with me|(?:rang|called|phoned) (?:\w+ ){0,3}me"
    r"|im home|i was (?:taken|kept|admitted|sectioned|discharged|found)|(?:what|why) i did|i did it|my (?:gp|crisis team"
    r"|care coordinator|mental health team))\b"
)


def _darker_than_low_mood(low: str) -> bool:
    """Low mood that says more (round 8): any word of death, harm, means, a plan, a place,
    a time or a goodbye ("i've been so fed up lately and i've started giving my stuff
    away", "bone tired of being a person, i'd like to be switched off")."""
    return bool(lex.RISK_BESIDE_MOOD.search(low) or _own_risk_told(low) or lex.IDEATION_WORDS.search(low)
                or lex.SUICIDE_WORDS.search(low) or lex.SELF_HARM_WORDS.search(low)
                or lex.PLAN_WORDS.search(lex.NO_PLAN.sub(" ", low)) or _OWN_DEATH.search(low))


def _own_risk_told(low: str) -> bool:
    """The patient's own present risk anywhere in the message (round 8): what every
    round-8 hold-back (low mood, a general question, a worksheet) yields to."""
    return bool(_OWN_RISK.search(low) or _PRESENT_INTENT_UNDENIED.search(low) or _BESIDE_A_PURPOSE.search(low)
                or _ACTED_ON_SOMEONE.search(low) or _COVER_FOR_RULES.search(low))


def _worked_on_now(low: str) -> bool:
    """A worksheet or form that carries present risk (round 8): an item answered above 0
    ("question 9 i put a 3"), or a plan, an act or intent told beside it ("... evidence
    against: none. i'm going back tonight")."""
    return bool(lex.SCREEN_POSITIVE.search(low) or _own_risk_told(low) or _WORKSHEET_HOME.search(low))


_WORKSHEET_HOME = re.compile(
    r"\b(?:going back|tonight|(?:pills|tablets|rope|it|them) ready|letters|wont be here|stood (?:at|on|by)"
    r"|working out|the timing|(?:believe|believed) it completely|still 100|100 ?%|cant find (?:one|any)"
    r"|couldnt (?:fill|find|think of)|stopped doing|(?:i|he|she) broke my|i deserve|been (?:hitting|cutting|burning)"
    r"|(?:cut|cutting) (?:twice|again|deeper)|should just die)\b"
)

# A question asked for oneself (round 8): "asking for me, not an essay", "because i have".
_ASKING_FOR_ME = re.compile(
    r"\b(?:asking for me|(?:its|it is|this is) (?:about )?me\b|because (?:i|ive|im|id) (?:have|am|do|did|been|nearly|want)"
    r"|because i have|i need to know|i nearly|(?:im|i am|ive been) thinking (?:of|about) (?:doing|it|taking|stopping)"
    r"|(?:every|most) (?:single )?(?:day|night|evening)|want it to be|(?:hes|shes|theyve|he has|she has) done it"
    r"|all week|every (?:week|time)|on purpose|tonight)\b"
)

# An everyday purpose told as a cover, read by the rules' vetoes too (round 8): "giving my
# clothes to the charity shop because i won't be needing them", "told the man it was for the
# garden. it isn't". Narrower than _COVER_STORY ("decided to give my old clothes to the
# charity shop" is still the charity shop).
_COVER_FOR_RULES = re.compile(
    r"\b(?:(?:because|cos|since|as) (?:i )?wont be needing|(?:when|after|once) im gone"
    r"|(?:it was|its|it is|they were|theyre|they are) for [\w .,]{1,40}?(?:it|they) (?:isnt|arent|wasnt|werent|is not|are not)\b"
    r"|(?:told|tell|telling) (?:the|a|my|his|her) \w+ (?:it was|its|it is|they were|theyre) for [\w ]{1,30}(?:but|really)"
    r"|calling it|cover (?:story|for)|know what (?:im|i am) saving|saving them for|whole (?:packet|box|bottle)|finally do it"
    r"|(?:made|tied) a noose|(?:thatd|that would|it would|itd|would it|it will|it could) hold (?:me|my weight)"
    r"|thinking (?:about|of) taking (?:the )?(?:whole|all|them all|the lot|lots|loads|every)"
    r"|without telling (?:the |my )?(?:gp|doctor|anyone|nobody|psychiatrist|nurse))\b"
)


def screen_phq9_item9(score: int) -> Screening:
    """PHQ-9 item 9 ("better off dead or hurting yourself"): any score above 0 is risk.

    1 ("several days") is HIGH; 2 or 3 ("more than half the days", "nearly
    every day") is URGENT: frequent thoughts of death need a clinician today.
    """
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 3:
        raise ValueError(f"PHQ-9 item 9 score must be an integer 0..3, got {score!r}")
    if score == 0:
        return NO_RISK
    severity = Severity.HIGH if score == 1 else Severity.URGENT
    trigger = f"PHQ-9 item 9 = {score}"
    return Screening((Finding(Category.SUICIDAL_IDEATION, severity, (trigger,)),))
