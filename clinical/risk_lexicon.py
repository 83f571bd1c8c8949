"""Word lists and phrase rules for risk screening.

The rules are regular expressions over a *normalised* token stream (see
``clinical.risk``): lower case, apostrophes dropped (``i'm`` -> ``im``), slang
and misspellings mapped to one spelling (``kms`` -> ``kill myself``,
``sh`` -> ``self harm``, ``gonna`` -> ``going to``), filler words removed, one
space between tokens.  Keeping the vocabulary here and the logic (negation,
history, third person, idioms) in ``clinical.risk`` keeps both files readable.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------
# Normalisation tables
# --------------------------------------------------------------------------

#: One typed token -> one or more normalised tokens.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "kms": ("kill", "myself"),
    "kmss": ("kill", "myself"),
    "kmsl": ("kill", "myself"),
    "kys": ("kill", "yourself"),
    "kil": ("kill",),
    "kiled": ("killed",),
    "killd": ("killed",),
    "kiling": ("killing",),
    "killin": ("killing",),
    "unalive": ("kill",),
    "unaliving": ("killing",),
    "unalived": ("killed",),
    "sewerslide": ("suicide",),
    "sui": ("suicide",),
    "suicidial": ("suicidal",),
    "suicidle": ("suicidal",),
    "ctb": ("kill", "myself"),
    "sh": ("self", "harm"),
    "shd": ("self", "harmed"),
    "shing": ("self", "harming"),
    "selfharm": ("self", "harm"),
    "selfharmed": ("self", "harmed"),
    "selfharming": ("self", "harming"),
    "selfharms": ("self", "harms"),
    "selfharmer": ("self", "harmer"),
    "od": ("overdose",),
    "ods": ("overdose",),
    "odd'd": ("overdosed",),
    "odd'ed": ("overdosed",),
    "oded": ("overdosed",),
    "odeed": ("overdosed",),
    "wanna": ("want", "to"),
    "wana": ("want", "to"),
    "wan": ("want",),
    "gonna": ("going", "to"),
    "gunna": ("going", "to"),
    "gona": ("going", "to"),
    "finna": ("going", "to"),
    "ima": ("im", "going", "to"),
    "imma": ("im", "going", "to"),
    "iam": ("im",),
    "iv": ("ive",),
    "tryna": ("trying", "to"),
    "gotta": ("got", "to"),
    "dnt": ("dont",),
    "didnt": ("didnt",),
    "cannot": ("cant",),
    "wud": ("would",),
    "wld": ("would",),
    "cud": ("could",),
    "shud": ("should",),
    "ppl": ("people",),
    "bf": ("boyfriend",),
    "gf": ("girlfriend",),
    "hubby": ("husband",),
    "mom": ("mum",),
    "mam": ("mum",),
    "mummy": ("mum",),
    "daddy": ("dad",),
    "mummys": ("mums",),
    "daddys": ("dads",),
    "u": ("you",),
    "ur": ("your",),
    "r": ("are",),
    "rn": ("right", "now"),
    "atm": ("right", "now"),
    "idk": ("i", "dont", "know"),
    "idc": ("i", "dont", "care"),
    "noone": ("no", "one"),
    "no1": ("no", "one"),
    "evry1": ("everyone",),
    "every1": ("everyone",),
    "everybody": ("everyone",),
    "any1": ("anyone",),
    "anybody": ("anyone",),
    "some1": ("someone",),
    "somebody": ("someone",),
    "2nite": ("tonight",),
    "2night": ("tonight",),
    "tonite": ("tonight",),
    "tmrw": ("tomorrow",),
    "tmr": ("tomorrow",),
    "tomoz": ("tomorrow",),
    "2moro": ("tomorrow",),
    "2morrow": ("tomorrow",),
    "tomorow": ("tomorrow",),
    "cos": ("because",),
    "coz": ("because",),
    "cuz": ("because",),
    "bc": ("because",),
    "becuase": ("because",),
    "anymore": ("anymore",),
    "tabs": ("tablets",),
    "pils": ("pills",),
    "medication": ("meds",),
    "medications": ("meds",),
    "medicine": ("meds",),
    "cuttin": ("cutting",),
    "hurtin": ("hurting",),
    "harmin": ("harming",),
    "burnin": ("burning",),
    "endin": ("ending",),
    "takin": ("taking",),
    "thinkin": ("thinking",),
    "goin": ("going",),
    "feelin": ("feeling",),
    "tryin": ("trying",),
    "doin": ("doing",),
    "havin": ("having",),
    "nothin": ("nothing",),
    "somethin": ("something",),
    "myslef": ("myself",),
    "nite": ("night",),
    "bout": ("about",),
    "abt": ("about",),
    "tho": ("though",),
    "ngl": (),
    "tbh": (),
    "tbf": (),
    "honestly": (),
    "literally": (),
    "genuinely": (),
    "seriously": (),
    "actually": (),
    "really": (),
    "just": (),
    "kinda": (),
    "lowkey": (),
    "highkey": (),
    "deadass": (),
    "fucking": (),
    "fuckin": (),
    "effing": (),
    "bloody": (),
    "totally": (),
    "truly": (),
    "basically": (),
    "probably": (),
    "definitely": (),
    "properly": (),
    "absolutely": (),
    "completely": (),
    "pretty": (),
    "quite": (),
    "very": (),
    "so": (),
    "sooo": (),
    "lol": ("lol",),
    "lool": ("lol",),
    "lmao": ("lol",),
    "lmfao": ("lol",),
    "rofl": ("lol",),
    "jk": ("lol",),
    "jking": ("lol",),
    "joking": ("joking",),
    "xd": ("lol",),
    "haha": ("lol",),
    "hahaha": ("lol",),
    "hehe": ("lol",),
    "ha": ("lol",),
}

#: Emoji that mark a message as a joke.
LAUGH_EMOJI = frozenset("😂🤣😆😅🙃😜😝")

#: Distinctive words that are worth correcting when misspelt by one edit.
FUZZY_VOCAB: tuple[str, ...] = (
    "suicide",
    "suicidal",
    "myself",
    "overdose",
    "overdosed",
    "overdosing",
    "paracetamol",
    "strangled",
    "strangling",
    "throttled",
    "stockpiling",
    "stockpiled",
    "harming",
    "harmed",
    "unalive",
    "ibuprofen",
    "hopeless",
    "worthless",
    "tonight",
    "tomorrow",
    "stabbed",
)

#: Common words that sit one edit from the fuzzy vocabulary; never "corrected".
FUZZY_PROTECTED = frozenset(
    {"hoping", "harmer", "charmed", "farmed", "warmed", "tonights", "tomorrows", "stabled"}
)

# --------------------------------------------------------------------------
# Word classes used by the engine
# --------------------------------------------------------------------------

NEGATION_CUES = frozenset(
    {
        "not",
        "no",
        "never",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "wouldnt",
        "couldnt",
        "havent",
        "hasnt",
        "hadnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "aint",
        "nothing",
        "none",
        "nor",
        "neither",
        "without",
        "stopped",
        "resisted",
        "nope",
        "zero",
    }
)

#: Words after a negation cue that make it no negation of what follows.
PSEUDO_NEGATION_NEXT = frozenset(
    {
        "one",
        "sure",
        "only",
        "like",
        "matter",
        "wonder",
        "stop",
        "help",
        "know",
        "point",
        "reason",
        "way",
        "future",
    }
)

#: Phrases (normalised) that look negative but do not negate the next clause.
PSEUDO_NEGATION_PHRASES: tuple[str, ...] = (
    "not going to lie",
    "not gonna lie",
    "not to lie",
    "no lie",
    "no joke",
    "not joking",
    "no word of a lie",
    "not kidding",
    "not even joking",
    "cant stop",
    "couldnt stop",
    "dont know why",
    "dont know how",
    "dont know what",
    "dont know if",
    "no matter",
    "not sure",
    "no one",
    "nobody",
    "stopped eating",
    "stopped sleeping",
    "stopped going",
    "stopped taking",
    "stopped answering",
    "stopped caring",
)

#: Verbs after which a negation reaches into a following "i ..." clause
#: ("i don't think i want to die").
COGNITIVE_VERBS = frozenset(
    {"think", "feel", "believe", "say", "mean", "reckon", "plan", "intend", "want", "know"}
)

FIRST_PERSON = frozenset({"i", "im", "ive", "id", "ill", "me", "myself", "we", "us"})

THIRD_PERSON = frozenset(
    {
        "he",
        "she",
        "they",
        "hes",
        "shes",
        "theyre",
        "theyve",
        "theyd",
        "hed",
        "shed",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "himself",
        "herself",
        "themselves",
        "people",
        "someone",
        "anyone",
        "person",
        "man",
        "woman",
        "guy",
        "girl",
        "boy",
        "lad",
        "friend",
        "friends",
        "mate",
        "mates",
        "bestie",
        "brother",
        "sister",
        "mum",
        "dad",
        "mother",
        "father",
        "son",
        "daughter",
        "cousin",
        "uncle",
        "aunt",
        "auntie",
        "nan",
        "gran",
        "grandma",
        "grandad",
        "grandpa",
        "niece",
        "nephew",
        "colleague",
        "coworker",
        "boss",
        "manager",
        "partner",
        "husband",
        "wife",
        "boyfriend",
        "girlfriend",
        "ex",
        "flatmate",
        "housemate",
        "roommate",
        "neighbour",
        "neighbor",
        "kid",
        "kids",
        "child",
        "children",
        "teenager",
        "teen",
        "student",
        "students",
        "patient",
        "patients",
        "client",
        "clients",
        "character",
        "celebrity",
        "singer",
        "actor",
        "documentary",
        "film",
        "movie",
        "book",
        "novel",
        "article",
        "programme",
        "program",
        "show",
        "podcast",
        "essay",
        "news",
        "song",
        "lyrics",
        "episode",
        "video",
        "series",
        "story",
        "play",
        "research",
        "study",
        "statistics",
        "rates",
        "lecture",
        "course",
        "training",
        "post",
        "tiktok",
        "youtube",
        "meme",
        "awareness",
        "charity",
    }
)

#: Subjects that mean "the patient" when a therapist types the note (Source.MANUAL).
MANUAL_PATIENT_WORDS = frozenset(
    {
        "he",
        "she",
        "they",
        "hes",
        "shes",
        "theyre",
        "him",
        "her",
        "them",
        "client",
        "patient",
        "pt",
        "his",
        "himself",
        "herself",
        "themselves",
    }
)

BENIGN_ABSENCE = re.compile(
    r"\b(?:holiday|holidays|hols|trip|travelling|traveling|abroad|away for|visiting|wedding|"
    r"conference|festival|camping|honeymoon|moving house|new job|work trip|vacation|"
    r"operation|surgery|appointment|signal|wifi|internet|exams?|retreat|retiring|retirement)\b"
)

#: Hypothetical, not happening: "call samaritans if i ever feel suicidal".
HYPOTHETICAL = re.compile(
    r"\b(?:if i ever|if ever|in case i|should i ever|if i start|if i begin|safety plan|what to do if|"
    r"crisis plan|if i get|if i feel)\b"
)

#: Distant-past markers: a risk phrase in the same clause is history.
HISTORY = re.compile(
    r"\b(?:used to|use to|years ago|year ago|months ago|a long time ago|long ago|ages ago|"
    r"when i was (?:younger|young|little|a (?:kid|child|teen|teenager|student)|at (?:school|uni|"
    r"college)|\d+)|as a (?:kid|child|teen|teenager|student)|in my (?:teens|twenties|20s|30s)|"
    r"growing up|back in|in the past|last year|in (?:19|20)\d\d|at uni|at school|"
    r"for (?:\w+ )?(?:years|months)|in (?:\w+ )?(?:years|months)|been (?:\w+ )?(?:years|months|ages) since|"
    r"since (?:i was|uni|school|college|\d)|(?:free|clean) (?:for|of|since)|behind me|"
    r"no longer|not for (?:a long time|years|ages|months)|not since|"
    r"stopped(?! eating| sleeping| going| taking| answering| caring)|"
    r"before i (?:had|met|got)|old scars|(?:is|its|it is|all) sorted now|been dealt with)\b"
)

#: Sustained abstinence: history even with "now" ("self-harm free for two years now").
HISTORY_STRONG = re.compile(
    r"\b(?:(?:free|clean) (?:for|of|since)|behind me|been (?:\w+ )?(?:years|months|ages) since|"
    r"(?:for|in) (?:over |more than |almost |nearly )?(?:\w+ )?(?:years|months)(?! now i)|"
    r"old scars|stopped(?! eating| sleeping| going| taking| answering| caring)|no longer)\b"
)

#: Recent-time markers: they override history in the same clause.
RECENT = re.compile(
    r"\b(?:again|last night|yesterday|today|tonight|this (?:week|morning|evening|afternoon|"
    r"weekend|month)|right now|now|recently|lately|at the moment|still|relapsed|"
    r"(?:are|r|have|is|its|came|come) back|every day|most days|most nights)\b"
)

ACCIDENT_EXPLICIT = re.compile(
    r"\b(?:by accident|accidentally|accidental|by mistake|messing about|play fighting)\b"
)

#: Activities in which people hurt themselves by accident (self-harm phrases only).
ACCIDENT = re.compile(
    r"\b(?:by accident|accidentally|accidental|by mistake|clumsy|messing about|play fighting|"
    r"playing|at the gym|football|rugby|boxing|training|on the oven|on the stove|on the iron|"
    r"on the kettle|on the pan|cooking|chopping|ironing|gardening|thorns?|"
    r"rose bush|nettles?|brambles?|hedge|(?:the|my|our) (?:cat|cats|dog|dogs|kitten|puppy|hamster|rabbit))\b"
)

#: Someone else's words (song, film, a person) quoted; a risk phrase inside is not the patient's.
QUOTE_REPORTERS = re.compile(
    r"\b(?:he|she|they|someone|somebody|people|friend|mum|dad|daughter|son|kids|lyrics|song|"
    r"film|movie|book|character|line|sign|poster|meme|joke|teacher|boss|it)\b"
    r"(?: \S+){0,3} (?:said|says|say|go|goes|went|sang|sings|wrote|writes|shouted|yelled|"
    r"called|told|texted|messaged|posted)\b"
    r"|\b(?:lyric|lyrics|song|poem|quote|caption|title) ?$"
)
QUOTE_SELF = re.compile(r"\b(?:thought|thoughts|think|thinking|belief|i said|i told|i wrote)\b")
QUOTE_AFTER_OTHER = re.compile(
    r"^(?:\S+ ){0,2}(?:is what |was what )?(?:my |the |a |her |his )?"
    r"(?:\S+ ){0,2}(?:said|says|say|goes|sang|sings|wrote)\b"
)

#: A CBT exercise written out: a thought quoted back and worked on (rated,
#: evidence for or against, an alternative). Risk words quoted inside it are
#: the exercise's material, not a disclosure.
THOUGHT_LABEL = re.compile(
    r"\b(?:thought|thoughts|hot thought|automatic thought|negative thought|nat|belief|"
    r"prediction|predicted|thinking trap|cognitive distortion)\b"
)
THOUGHT_WORK = re.compile(
    r"\b(?:evidence (?:for|against)|belief \d+|believed? (?:it )?\d+|rated|re ?rated|\d+ ?%|"
    r"\d+ percent|alternative|balanced|challeng\w*|reframe\w*|thought record|"
    r"then (?:crossed|laughed))\b"
)

#: Before an act phrase: the patient wants / thinks about it, not did it.
DESIRE = frozenset(
    {
        "want",
        "wanted",
        "wanting",
        "wanna",
        "wish",
        "urge",
        "urges",
        "urged",
        "tempted",
        "thinking",
        "think",
        "thought",
        "thoughts",
        "about",
        "like",
        "might",
        "could",
        "should",
        "would",
        "scared",
        "afraid",
        "worried",
        "going",
        "plan",
        "planning",
        "considering",
        "considered",
        "imagine",
        "imagining",
        "deserve",
        "need",
        "of",
        "to",
    }
)

# --------------------------------------------------------------------------
# Filters added with the concept rules
# --------------------------------------------------------------------------

#: A screening question quoted back: "you asked if ...", "the PHQ asks about ...".
QUESTION_FRAME = re.compile(
    r"\b(?:asked (?:me )?(?:if|whether|about)|asks (?:me )?(?:if|whether|about)|"
    r"ask (?:me )?(?:if|whether|about)|question (?:about|on|if)|questionnaire|phq|form asks|"
    r"asking (?:me )?(?:if|whether|about))\b"
)
#: ...answered no.
DENIAL_ANSWER = re.compile(
    r"\b(?:no i (?:havent|dont|have not|do not|wasnt|am not)|no , i (?:havent|dont|wasnt)|"
    r"i (?:put|scored|ticked|said|answered) (?:a )?(?:0|zero|no|not at all|never)|"
    r"answer (?:is|was) (?:still )?no|(?:and|so) i said no|(?:no|nope) , never|"
    r"(?:\. |, )(?:no|nope|never)(?: ,| \.|$))"
)

#: A risk noun used as a topic: "self harm awareness", "suicide prevention".
TOPIC_NOUNS = frozenset(
    {
        "awareness",
        "prevention",
        "assembly",
        "training",
        "leaflet",
        "leaflets",
        "campaign",
        "charity",
        "helpline",
        "statistics",
        "rates",
        "policy",
        "module",
        "workshop",
        "course",
        "research",
        "week",
        "day",
    }
)

#: Risk words that can head such a topic phrase.
TOPIC_HEADS = frozenset(
    {"suicide", "harm", "abuse", "violence", "suicidal", "overdose", "safeguarding", "health"}
)

#: Function words left out of the fast-path gate (no rule can start from them alone).
GATE_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "into",
        "onto",
        "than",
        "then",
        "so",
        "if",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "im",
        "ive",
        "id",
        "ill",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "there",
        "theres",
        "here",
        "i",
        "me",
        "my",
        "mine",
        "you",
        "your",
        "yours",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "we",
        "us",
        "our",
        "they",
        "them",
        "their",
        "itself",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "have",
        "has",
        "had",
        "having",
        "get",
        "gets",
        "got",
        "go",
        "goes",
        "going",
        "went",
        "will",
        "would",
        "can",
        "could",
        "should",
        "shall",
        "may",
        "must",
        "just",
        "also",
        "very",
        "too",
        "up",
        "down",
        "out",
        "over",
        "off",
        "about",
        "like",
        "what",
        "whats",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "how",
        "all",
        "any",
        "some",
        "each",
        "every",
        "one",
        "ones",
        "more",
        "most",
        "much",
        "many",
        "few",
        "lot",
        "lots",
        "bit",
        "yes",
        "yeah",
        "ok",
        "okay",
        "thanks",
        "thank",
        "please",
        "hi",
        "hello",
        "dear",
        "lol",
        "re",
        "ve",
        "ll",
        "see",
        "saw",
        "seen",
        "came",
        "come",
        "good",
        "next",
        "soon",
        "week",
        "weeks",
        "morning",
        "afternoon",
        "evening",
        "started",
        "finished",
        "watched",
        "reading",
        "park",
        "lunch",
        "sheet",
        "worksheet",
        "homework",
        "session",
        "sessions",
        "diary",
    ]
)
