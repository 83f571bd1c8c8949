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

#: Emoji that stand for a means, a place or an act, read as their word by the rules
#: (round 8: "took the lot 💊😴 night", "bridge tonight 🌉 ⚰️"). Not 💀, which people
#: laugh with.
EMOJI_WORDS: dict[str, str] = {
    "💊": "pills",
    "🔪": "knife",
    "🩸": "blood",
    "⚰": "coffin",
    "🪦": "grave",
    "🌉": "bridge",
    "🚆": "train",
    "🚂": "train",
    "🚄": "train",
    "🪢": "rope",
    "🔫": "gun",
}

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
    # round 11: how the week went, not a denial of what follows ("lol not great this week,
    # boyfriend broke my ribs i think")
    "not great",
    "not good",
    "not brilliant",
    "not the best",
    "not doing great",
    "not doing well",
    "not amazing",
    # round 8 review: reassurance or secrecy before a disclosure, not a denial of it
    # ("don't worry it was only a small overdose", "don't tell anyone but i cut again")
    "dont worry",
    "dont panic",
    "dont freak out",
    "dont be mad",
    "dont be cross",
    "dont be angry",
    "dont judge me",
    "dont tell",
    # "i'd be lying if i said i hadn't thought about it": the denial is the lie
    "lying if i said i hadnt",
    "lying if i said i havent",
    "lying if i said i didnt",
    "lying if i said i dont",
    "lying if i said i wasnt",
    "lying if i said it hadnt",
    "lying if i said it doesnt",
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
    # round 10: "back when i was drinking", "16 year old me who wanted to die", "first year of uni",
    # "last time ... was 2019", "this time last year", "my thing at 16"
    r"back when|from (?:19|20)\d\d|(?:my )?old (?:diary|diaries|journals?|notebooks?|letters|poems)|(?:in|during) (?:my )?(?:first|second|third|final) year (?:of|at) (?:uni|university|college|school)|"
    r"(?:was|were) (?:back )?(?:in )?(?:19|20)\d\d|(?:thing|phase) at 1\d|(?:\d+|teenage|younger|little|old|past|former) (?:year old )?(?:me|self) (?:who|that)|"
    r"when (?:i was|we were) (?:younger|young|little|small|a (?:kid|child|teen|teenager|student)|kids|children|teens"
    r"|teenagers|at (?:school|uni|college)|\d+)|as (?:a (?:kid|child|teen|teenager|student)|kids|children)"
    r"|in my (?:teens|twenties|20s|30s)|"
    r"growing up|back in|in the past|last year|in (?:19|20)\d\d|at uni|at school|"
    r"for (?:\w+ )?(?:years|months)|in (?:\w+ )?(?:years|months)|been (?:\w+ )?(?:years|months|ages) since|"
    r"since (?:i was|uni|school|college|\d)|(?:free|clean) (?:for|of|since)|behind me|"
    r"no longer|not for (?:a long time|years|ages|months)|not since|"
    r"stopped(?! eating| sleeping| going| taking| answering| caring)|"
    r"before i (?:had|met|got)|old scars|(?:is|its|it is|all) sorted now|been dealt with"
    # round 11: "a really bad patch at 19 when i took an overdose", "the last time i felt suicidal
    # was before the divorce", "scared ill go back to how i was when i wanted to die"
    r"|(?:patch|time|phase|episode|period|spell) at (?:1\d|2\d)|the last time i (?:\w+ ){1,4}was (?:before|in (?:19|20)\d\d"
    r"|when|at (?:uni|school|college)|years|months)|back to (?:how|where|what) i was (?:like )?when)\b"
)

#: Sustained abstinence: history even with "now" ("self-harm free for two years now").
HISTORY_STRONG = re.compile(
    r"\b(?:(?:free|clean) (?:for|of|since)|behind me|been (?:\w+ )?(?:years|months|ages) since|"
    r"(?:for|in) (?:over |more than |almost |nearly )?(?:\w+ )?(?:years|months)(?! now i)|"
    r"old scars|stopped(?! eating| sleeping| going| taking| answering| caring)|no longer|this time last year"
    # round 9: "5 years self harm free this month", "no self harm in that whole time"
    r"|(?:years?|months?) (?:\w+ ){0,2}(?:free|clean)(?! (?:until|till|til|up until|up to|before|then|and then|when))"
    r"|in (?:all )?that (?:whole )?time(?! (?:until|till|til|up until|up to|before|then|and then|when)))\b"
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
    r"deboning|filleting|peeling (?:the |some )?(?:potatoes|spuds|veg|carrots|apples?|onions?)|slicing|grating|mandoline|opening (?:a|the) (?:tin|can|parcel|box)|"
    r"rose bush|nettles?|brambles?|hedge|(?:the|my|our) (?:cat|cats|dog|dogs|kitten|puppy|hamster|rabbit))\b"
)

#: Someone else's words (song, film, a person) quoted; a risk phrase inside is not the patient's.
QUOTE_REPORTERS = re.compile(
    r"\b(?:he|she|they|someone|somebody|people|friend|mum|dad|daughter|son|kids|lyrics|song|"
    r"film|movie|book|character|line|sign|poster|meme|joke|teacher|boss|it)\b"
    r"(?: \S+){0,3} (?:said|says|say|go|goes|went|sang|sings|wrote|writes|shouted|yelled|"
    r"called|told|texted|messaged|posted)\b"
    r"|\b(?:lyric|lyrics|song|poem|quote|caption|title) ?$"
    # round 11: "the worksheet had an example 'i feel like hurting myself'"
    r"|\b(?:worksheet|booklet|leaflet|handout|module|book|it) (?:\S+ ){0,3}(?:an |the |one )?example ?$"
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
    r"\b(?:thought|thoughts|hot thought|automatic thought|negative thought|nat|belief|wrote|diary|journal|"
    r"prediction|predicted|thinking trap|cognitive distortion|column \d|(?:the|my) (?:record|worksheet|sheet))\b"
)
THOUGHT_WORK = re.compile(
    r"\b(?:evidence (?:for|against)|belief (?:\w+ ){0,6}\d+|believed? (?:it )?\d+|rated|re ?rated|\d+ ?%|"
    r"\d+ percent|alternative|balanced|challeng\w*|reframe\w*|thought record|"
    r"(?:dont|do not|didnt|no longer) believe (?:it|that|a word)|figure of speech|"
    r"then (?:crossed|laughed)|reading it back|read it back)\b"
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
    r"ask (?:me )?(?:if|whether|about)|(?:question|item) (?:(?:9|nine|\d+) )?(?:about|on|if|asks)|questionnaire|phq|form asks|"
    r"since you asked|score breakdown|scores? (?:were|was|for)|the (?:\w+ )?(?:question|item) about|"
    r"asked (?:\w+ ){1,5}(?:if|whether)|"
    r"asking (?:me )?(?:if|whether|about)"
    # round 10: "filled in the core-10, put 'not at all' for the ones about ...", "for the '...' one i put 0"
    r"|core ?10|core ?om|gad ?7|(?:for|on) the(?= \")|for the ones? (?:about|on)"
    # round 11: "you asked me to rate urges to self harm on the diary card"
    r"|asked (?:me )?to (?:rate|score|track|log)|diary card)\b"
)
#: ...answered no before the item is named: "put 'not at all' for the ones about hurting myself".
DENIAL_BEFORE = re.compile(
    r"\b(?:put|ticked|scored|answered|said|circled|marked) (?:a )?(?:\" )?(?:0|zero|not at all|never|no)(?: \")?"
    r" (?:for|on)(?: the| both)?(?: (?:ones?|questions?|items?|bits?)\b|$)"
)
#: ...answered no.
DENIAL_ANSWER = re.compile(
    r"\b(?:no i (?:havent|dont|have not|do not|wasnt|am not)|no , i (?:havent|dont|wasnt)|"
    r"i (?:put|scored|ticked|said|answered) (?:a )?(?:0|zero|no|not at all|never)|"
    r"answer (?:is|was) (?:still )?no|(?:and|so) i said no|(?:no|nope) , never|"
    r"(?:honestly|definitely|genuinely|still) no\b)"
    # round 8: "... thoughts of suicide. no, none" ("\b" before "\." never matched after a space)
    r"|(?:\. |, |: )(?:(?:honestly|definitely|genuinely) )?(?:no|nope|never|none)(?: ,| \.|$)"
    r"|\. i (?:wasnt|havent|hadnt|dont|didnt|have not|was not|am not)\b"
    # round 9: an item scored 0 ("... self harm thoughts 0", "... were all zero", "honest answer is 0")
    r"|^(?:\w+ ){0,4}(?:[-:=] )?(?:0|zero)(?: ,| \.|$| out of)|(?:were|was) (?:all |both )?(?:0|zero|zeros|zeroes)\b"
    r"|answer (?:is|was) (?:still )?(?:a )?(?:0|zero|not at all)\b|(?:firm|definite|solid) not at all"
    # round 10: "... but its a 0, always has been"
    r"|(?:its|it is|it was|thats) (?:a |always |still )?(?:0|zero|a zero|not at all)(?: ,| \.|$)"
    # round 11: "rate urges to self harm on the diary card. 0 all week again"
    r"|\. (?:0|zero|none|nil)(?: (?:all|every) (?:week|day|night)| again| this week| all week again)*(?: ,| \.|$)"
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
        # round 10: "a module on self harm", "the nssi stats"
        "stats",
        "policy",
        "module",
        "workshop",
        "course",
        "research",
        "week",
        "day",
        # round 8: "the self harm bits were so hard to read"
        "bits",
        "scenes",
        "scene",
        "storyline",
        "chapters",
        "chapter",
        # round 10: "the self harm cycle diagram helped me understand my daughter"
        "cycle",
        "diagram",
        "handout",
        "booklet",
        "worksheet",
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


# ---------------------------------------------------------------- message context (round 6)
#
# Cues in the whole message, found with or without a risk word, that a clinician
# would use to set a vague risk reading aside. The rules never flag on these;
# they only hold back the learned layer's weaker hits (below its veto bar) and
# keep its urgent lean off (:func:`clinical.risk.false_alarm_reasons`). The text
# is lowercased with apostrophes dropped ("im", "dont") before they are matched.

#: Risk denied in so many words: "no thoughts of ending my life", "i'm safe",
#: "i'd never act on it", "nobody's hurting me", "not in any danger".
CONTEXT_DENIAL = re.compile(
    r"\b(?:(?:no|not (?:having|had|got) any|not any|havent had any|without any|zero|never had any|never had)"
    r" (?:\w+ ){0,2}(?:thoughts?|urges?|plans?|intentions?|desire|feelings?|ideas?) (?:of|to|about|around|at all)"
    r"|(?:im|i am|i feel|i felt|were|we are|kids are|the kids are|everyones|everyone is) (?:completely |totally |perfectly |)safe\b(?! to (?:say|assume))"
    r"|not in (?:any )?danger|no (?:risk|danger) to (?:me|myself|anyone|others)"
    r"|(?:would|could|will|wouldnt|id|i d|ill) (?:never|not) (?:ever )?(?:act on|do (?:it|that|anything)|hurt|harm)"
    r"|nothing like that|no,? no,? (?:and )?no"
    r"|(?:nobody|no one|noone|nobodys|no ones) (?:is |s )?(?:hurting|hitting|harming|abusing) (?:me|us|them)"
    r"|never (?:once )?(?:laid|raised|put) a (?:hand|finger)"
    r"|(?:im|i am|i was) not (?:suicidal|going to do anything|planning anything|at risk)"
    r"|not (?:thinking|thought) (?:of|about) (?:ending|killing|hurting|harming)"
    r"|i dont want to die"
    r"|(?:suicide|dying|death|killing myself|ending it|ending my life) (?:isnt|is not|never|doesnt|does not) (?:something|anything"
    r"|cross|crosses|enter|enters)(?: (?:that |i )?(?:crosses|want|would|consider))?)\b"
)

#: Resolved history: an age or a span of years back, a milestone since.
CONTEXT_HISTORY = re.compile(
    r"\b(?:(?:\d+|a|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|many|some|several|\w+teen) (?:yrs|years|decades?) (?:ago|clean|free|since|on)"
    r"|(?:when|while) i was (?:a kid|little|young|younger|a child|a teen|a teenager|at school|at uni|\d+)"
    r"|as a (?:kid|child|teen|teenager|student)|in my (?:teens|twenties|20s|thirties|30s)"
    r"|back (?:at|in) (?:uni|school|college|the day|(?:19|20)\d\d)|(?:at|aged) 1\d\b.{0,60}\b(?:now|ago)"
    r"|in (?:19[5-9]\d|200\d|201\d)|long behind me|a different (?:me|person|life)|someone elses life"
    r"|years since my last|(?:clean|free) (?:for|since) (?:\d+|a|two|three|four|five|six|many|over)"
    r"|(?:celebrated|marking|marked|anniversary of) (?:\w+ ){0,3}(?:years?|months?) (?:clean|free|since))"
)

#: A CBT exercise or a screening form worked on (an intrusive thought: :data:`INTRUSIVE_NAMED`, round 7).
CONTEXT_EXERCISE = re.compile(
    r"\b(?:balanced thought|alternative thought|core belief|evidence (?:for|against)|re ?rated"
    r"|belief (?:dropped|went|fell|down|now)|abc sheet|defusion|having the thought that"
    r"|behavioural experiment|catastrophi\w+|thinking trap|distortions?|mind reading|all or nothing"
    r"|phq ?9?|gad ?7|core ?10|item 9|question 9|screening (?:form|questions?)|risk (?:questions|screen)"
    r"|(?:put|answered|ticked|scored|circled) (?:a )?(?:0|zero|no|never|not at all)\b"
    r"|thought record|hot thought|automatic thought|worry tree|downward arrow|safety plan (?:homework|sheet|worksheet)"
    r"|(?:activity|mood|thought) diary|formulation|coping card|maintaining cycle|column \d|worksheet)"
)

#: Someone else's story: media, teaching, a job that meets risk.
CONTEXT_MEDIA = re.compile(
    r"\b(?:documentary|programme|podcast|novel|netflix|eastenders|corrie|soap|episode|series|true crime"
    r"|crime (?:novel|drama|book)|the news|news about|a book|the book|a film|the film|the play|in english"
    r"|macbeth|an inspector calls|zombie|video game|the game|on shift|on the ward|my patients?|a patient|safeguarding (?:training|course|referral)"
    r"|(?:as a|im a|i am a|training as a) (?:nurse|paramedic|teacher|social worker|police|doctor|carer|support worker|midwife))\b"
)

#: An act told as not meant to kill: self-harm, not a suicide plan (round 6).
NOT_TO_DIE = re.compile(
    r"\b(?:not (?:to|trying to|wanting to|because i want(?:ed)? to) (?:die|kill myself|end (?:it|my life))"
    r"|didnt (?:want|mean) to (?:die|kill myself)|(?:wasnt|not|never) (?:a|an) (?:suicide )?attempt"
    r"|just to (?:punish|feel|numb|hurt) (?:myself|something|nothing))\b"
)

#: The patient says they are a child (round 6): "im 14", "i'm only 15", "i'm in year 9".
SELF_STATED_MINOR = re.compile(
    r"\b(?:im|i am|iam|i turned|im only|i am only) (?:only )?(?:1[0-7]|[5-9])(?! ?(?:years? ago|mins?|minutes|hours?|days?|weeks?|months?|stone|st|kg|lbs?|pounds|quid|grand|k|percent|%|foot|feet|ft|inches|miles|pm|am|oclock))\b"
    r"|\b(?:im|i am) in year (?:[5-9]|1[0-3])\b"
)

#: An everyday purpose or occasion for the thing named: a plan's lookalike
#: ("rope for the tyre swing", "tide times for the walk", "goodbye party").
CONTEXT_PURPOSE = re.compile(
    r"\b(?:for (?:the|my|our|a|his|her) (?:garden|allotment|trampoline|tent|treehouse|swing|tyre swing|boat|"
    r"camping|climbing|walk|hike|trip|holiday|party|wedding|anniversary|christening|charity|fundraiser|"
    r"course|class|project|new (?:flat|house|job)|move|dog|cat|pets?)"
    r"|leaving (?:do|party|drinks)|retirement|retiring|moving (?:to|house|abroad)|new job|job offer"
    r"|(?<!not on )holiday|anniversary|honeymoon|driving (?:lesson|test)|practi[sc]e (?:her|his|my) (?:driving|hill starts|parking)"
    r"|digital detox|declutter\w*|time capsule|charity shop|dosette|pill organi[sz]er"
    r"|for my (?:tooth|toothache|headache|period|back|cold|flu|fever)|as prescribed|the vet)\b"
)

#: An injury with its everyday cause, or a medical procedure: not self-harm
#: ("sliced my thumb on a tin", "bloods taken", "got my ears pierced").
CONTEXT_ACCIDENT = re.compile(
    r"\b(?:by accident|accidentally|by mistake|on a (?:tin|can|glass|nail|knife)|opening a (?:tin|can|parcel|box)"
    r"|(?:chopping|cooking|gardening|ironing|shaving|diy|the brambles|brambles|nettles|thorns|rose bush)"
    r"|(?:bloods|blood test|blood taken|blood donation|gave blood|cannula|find a vein|jab|vaccine|injection|insulin)"
    r"|tattoo\w*|pierc\w+|stitches out|smear|physio|sciatica|after the op|after my op|my operation)\b"
)

#: An ending that is a relationship, a habit or a job: "ending things with my boyfriend".
CONTEXT_ENDING = re.compile(
    r"\b(?:(?:end|ending|ended|finish|finishing|finished) (?:it|things) with (?:him|her|them|my \w+)"
    r"|(?:telling|tell|told) (?:him|her|them) (?:its|it is) over|(?:its|it is) over (?:between|with) us"
    r"|break(?:ing)? up with|broke up with|dump(?:ing|ed)? (?:him|her)|(?:end|ending|ended) it with (?:him|her)"
    r"|(?:stop|stopping|quit|quitting|leave|leaving) (?:therapy|the job|my job|work|uni|college|social media|socials)"
    r"|off social media)\b"
)

#: Idioms of exasperation with no risk word a rule reads: "driving me to an early grave".
CONTEXT_IDIOM = re.compile(
    r"\b(?:early grave|fork in me|doing me in|murdering me|crawl (?:under|into) a (?:rock|hole)|"
    r"ground (?:to )?swallow me|put me out of my misery|end of me|finish(?:ed|es)? me off|"
    r"driving me (?:mad|crazy|up the wall|round the bend)|weight off|done for the day|im toast|"
    r"over my dead body|dead meat|shoot me now|scream into a pillow|could scream"
    # round 10: hyperbole ("ill have to sell a kidney", "my boss will have my head on a plate")
    r"|sell a kidney|head on a plate|guts for garters|(?:going to|gonna|will) kill me for (?:telling|saying|this|that|being)"
    r"|faking (?:his|her|my|their) own death|(?:jump\w*|fell|falling) off the sofa|bricking it"
    r"|already dying)\b"
)

#: Medication taken as prescribed and helping, or coping that worked: the
#: everyday side of "tablets", "stopped", "the urge" (round 6).
CONTEXT_CARE = re.compile(
    r"\b(?:(?:gp|doctor|dr|psychiatrist|consultant|nurse|pharmacist) (?:has |)(?:gave|give|upped|increased|lowered|reduced|changed|switched|prescribed|started|put)"
    r"|(?:meds|medication|tablets|pills|sertraline|citalopram|mirtazapine|fluoxetine|antidepressants?) (?:are|is|seem to be|seems to be|have been|has been) (?:working|helping|kicking in)"
    r"|helping (?:with )?my (?:sleep|mood|anxiety)|sleeping (?:a bit |loads |much |)better|sleep is better|tapering|weaning off"
    r"|with my (?:gp|doctors?)s? (?:support|help|advice)|(?:the )?urge passed|(?:it|that|this) (?:really |)helped|helps a bit"
    r"|im getting through it|not giving up|tomorrows a new (?:one|day)|proud of myself|small win"
    r"|side effects?|waiting list|(?:after|since) (?:his|her|my|the) (?:op|operation|fall)"
    r"|locked away from|blood pressure|pain clinic|diabetic|(?:the|a) dog (?:bit|bite)|consultant says|dosing error)\b"
)

#: Booking the next session or signing off until it: "see you at 3", "same time next
#: week?", "can we do 10am instead" (not "i won't see you next week").
CONTEXT_SCHEDULING = re.compile(
    r"(?<!wont )(?<!not )(?<!never )\b(?:see you (?:at|on|next|tomorrow|monday|tuesday|wednesday|thursday|friday|soon)"
    r"|same time next week|speak (?:on )?(?:monday|tuesday|wednesday|thursday|friday|soon|next week)|talk soon"
    r"|until next (?:week|time|session)|(?:can|could) (?:we|i) (?:do|move|change|swap|rearrange)\b"
    r"|(?:move|change|rearrange) (?:our|my|the) (?:appointment|session)|is the link the same)"
)


# ---------------------------------------------------------------- message context (round 7)

#: An intrusive (OCD-style) thought of harm the writer is distressed by and disowns:
#: named as OCD or intrusive, or a harm image or "what if i ..." beside fear, disgust
#: or "i'd never" ("the thought of pushing someone onto the tracks pops into my head
#: and i'm horrified"). Read with :data:`INTRUSIVE_DISTRESS`; both must be there
#: unless the message names it ("intrusive", "ocd", "erp", "call of the void").
INTRUSIVE_NAMED = re.compile(
    r"\b(?:intrusive|intrusions?|ocd|pure ?o|erp|exposure (?:work|therapy|task|homework|today|hierarchy|step)|call of the void"
    r"|high place (?:thing|phenomenon)|harm (?:thoughts|ocd)|ego[ -]?dystonic|the anxiety talking|scrupulosity"
    r"|(?:horrible|awful|disgusting|unwanted|sick) (?:flash(?:es)?|images?|pictures?|thoughts?)|horrifies me"
    r"|(?:the|that) thought (?:makes|made) me (?:feel )?sick|(?:id|i would|i d) never ever|ocds)\b"
)
INTRUSIVE_THOUGHT = re.compile(
    r"\b(?:what if i (?:\w+ ){0,2}(?:push|pushed|stab|hurt|harm|jump|drop|swerve|snap|lose control|poison\w*|strangle"
    r"|drown|hit|kill|grab\w*|let go|held|hold|put|knocked|crash|turn\w*|attack\w*|scald\w*|smother\w*|throw\w*|shove\w*"
    r"|stab\w*|do something (?:to|bad))"
    r"|(?:thoughts?|images?|pictures?|flash(?:es)?|ideas?|urges?) (?:\w+ ){0,6}(?:pops?|popped|popping|flash(?:es|ed)?"
    r"|came|comes|arrives?|arrived|keeps? coming)(?: up| in| into| back)?"
    r"|(?:pops?|popped|popping|flash(?:es|ed)?) (?:up |in |into )?(?:my )?(?:head|mind)"
    r"|(?:out of|from) nowhere|(?:my )?brain (?:keeps )?(?:shows?|showing|throws?|throwing|gives?|giving|is testing) me"
    r"|(?:thoughts?|images?|pictures?|flash(?:es)?|picturing|pictured|imagin\w+|seeing myself) (?:of |about )?(?:\w+ ){0,3}"
    r"(?:push\w*|stab\w*|hurt\w*|harm\w*|strangl\w*|drown\w*|dropp?\w*|throw\w*|chuck\w*|hitting|punch\w*|poison\w*"
    r"|crash\w*|swerv\w*|steer\w*|shov\w*|smother\w*|suffocat\w*|grab\w*|the (?:bread |kitchen )?knife|lett?ing go|scald\w*"
    r"|putting (?:a|the) pillow"
    r"|holding (?:\w+ ){0,2}under)"
    r"|(?:stabbing|strangling|pushing|shoving|drowning|dropping|smothering|poisoning|swerving|scalding|knife|harm)"
    r" (?:thoughts?|spikes?|images?|pictures?|flash(?:es)?)"
    r"|dread (?:that )?i(?:ll| will| might| could| would) (?:\w+ )?(?:do something (?:to|bad)|snap|lose control)"
    r"|(?:think|thought|voice says|voice saying) just (?:step|jump|push|swerve|grab|let go|lean)"
    # round 10: the checking that follows one ("drove round the roundabout to check i hadnt hit a
    # cyclist", "i think ive run someone over")
    r"|(?:check|checking|checked) (?:\w+ ){0,3}(?:that )?i (?:hadnt|havent|didnt) (?:hit|run|ran|knock\w*|hurt)"
    r"|think (?:ive|i have|i had|id) (?:hit|run|ran|knocked) (?:someone|somebody|a \w+))\b"
)
INTRUSIVE_DISTRESS = re.compile(
    r"\b(?:horrif\w+|terrif\w+|scared|scares|scary|frighten\w*|petrified|panic\w*|sick|disgust\w*|monster"
    r"|(?:hate|hated) (?:it|that|them|these|this|those)|makes no sense|(?:dont|do not) want (?:that|it)\b"
    r"|never (?:want|wanted)|(?:would|could|id|i d) never|never (?:ever )?(?:do|act|hurt|harm|hit)"
    r"|(?:not|never) something i want|no (?:anger|intent\w*|desire) behind|reassurance|confess\w*|compulsions?"
    r"|(?:keep|kept) checking|check(?:ing|ed)? (?:that )?i (?:havent|hadnt|didnt|wasnt)|why (?:is|does) my (?:brain|head|mind)"
    r"|i adore|vile|dread|check(?:ing)? again|never so much as|(?:dont|wont) go that way"
    r"|never done anything (?:\w+ )?like (?:it|that)|the what ifs|hate the thought"
    r"|i (?:dont|do not|didnt) want to(?! (?:live|be here|be alive|wake|go on|carry on|exist|be around|see|face))"
    r"|i know i (?:wont|wouldnt|never)|cried|crying|sobb\w*|(?:im|i am|i was|was|left me|still|got me|me) shaking|shaken|shook up|in tears|avoid\w*|hid (?:the|all)|moved (?:the|them) |i love (?:him|her|them|my))\b"
)

#: Someone else's risk already with the people whose job it is (round 9): "camhs are
#: involved", "i rang the school dsl, they've taken it from there", "gave her the samaritans
#: number", "followed our procedure". Read with :data:`CONTEXT_THIRD_PARTY`, and only where
#: the message does not bring it home.
CONTEXT_HANDED_ON = re.compile(
    r"\b(?:(?:social services|childrens services|camhs|(?:the )?police|the school|the gp|(?:her|his|their) gp"
    r"|(?:the )?crisis team|(?:the|our|the school) dsl|(?:the )?safeguarding lead|occupational health"
    r"|(?:the )?mental health team|womens aid|the duty doctor|the pharmacist|(?:a )?care coordinator)"
    r" (?:are |is |were |was |have |has |got |who )?(?:now )?(?:involved|dealing|on it|aware|handling|taken it|took (?:her|him|them|it)"
    r"|sorting|spoken|assessed|got (?:the|her|him|them))"
    r"|(?:referred|reported (?:it|him|her|them)|logged it|passed it (?:\w+ )?(?:on|to)|rang|called|told)"
    r" (?:\w+ ){0,3}(?:dsl|safeguarding lead|social services|childrens services|police|camhs|gp|school|crisis team"
    r"|111|999|101|his mum|her mum|their parents|the parents|occupational health)"
    r"|gave (?:her|him|them) (?:the )?(?:samaritans|refuge|crisis|helpline|shout)"
    r"|(?:taken|took) it from there|followed (?:our|the) (?:procedure|policy|protocol)|like the policy says|cpoms"
    r"|(?:shes|hes|theyre|she is|he is|they are) (?:now )?(?:safe|home now|being looked after|seeing (?:her|his|their) gp))\b"
)
#: ... someone other than the patient whose risk it is.
CONTEXT_THIRD_PARTY = re.compile(
    r"\b(?:(?:my|our|her|his|a|one of my|my (?:sons|daughters|best))"
    r" (?:\w+ )?(?:friend|mate|sister|brother|cousin|niece|nephew|son|daughter|colleague|flatmate|neighbour|mum|dad|nan"
    r"|grandad|aunt|uncle|partner|husband|wife|boy|girl|child|kid|teen|pupil|student|patient|caller|customer|client"
    r"|resident|lady|man|woman|lad|year \d+s?)s?|a (?:boy|girl|child|man|woman|lady|lad|15 year old|\d+ year old))\b"
)

#: Someone else's suicide or self-harm told (a friend's past, a colleague's husband,
#: the news): not the patient's risk unless the message brings it to them.
CONTEXT_OTHERS_ACT = re.compile(
    r"\b(?:took (?:his|her|their) (?:own )?life|(?:killed|hanged|hung|shot|drowned) (?:himself|herself|themselves)"
    r"|died by suicide|lost (?:him|her|them|(?:her|his|their|my) \w+) to suicide|(?:his|her|their) suicide"
    r"|(?:he|she|they|hes|shes|mate|friend|cousin|brother|sister|uncle|aunt|flatmate|colleague|son|daughter|lad|girl)"
    r" (?:\w+ )?(?:attempted|overdosed|tried to (?:kill|end))"
    r"|(?:cuts?|cutting|cut up|harms?|harming|hurts?|hurting) (?:himself|herself|themselves)"
    r"|(?:he|she|they) (?:\w+ )?(?:self ?harms?|used to self ?harm)|(?:someone|a man|a woman|a lad|a girl|a boy|a guy|a person)"
    r" (?:\w+ )?(?:jumped|went under|threw (?:himself|herself))|(?:was|were|got) (?:stabbed|shot|murdered|killed)"
    r"|(?:shes|hes|theyre|she is|he is|they are) (?:fine|ok|okay|well|happy|thriving|remarried|doing (?:well|great|fine|ok|better))"
    r"(?: now)?)\b"
)

#: Someone else's story, round 7 additions: the news, a character, a lesson, or the
#: patient's job (read with :data:`CONTEXT_MEDIA`).
CONTEXT_STORY = re.compile(
    r"\b(?:headlines?|(?:on|in) the (?:local )?(?:news|papers?|radio)|news (?:story|report|article)|coverage|an article"
    r"|the inquest|the trial|jury|the verdict|court case|true crime"
    r"|(?:the|a|my) (?:main )?character|the villain|the (?:hero|heroine|narrator|protagonist)|fan ?fic|the author"
    r"|in the (?:story|game|show|series|film|movie|book|novel|play|poem)|the (?:song|lyrics|poem)|history (?:lesson|class)"
    r"|in history|a levels?|gcse|sylvia plath|kurt cobain|thriller|superhero|marvel"
    r"|karaoke|on repeat|album|book club|(?:radio|radio 4) drama|the poem|finished (?:a|the) (?:book|novel)"
    r"|(?:as a|im a|i am a|work as a|working as a|in my job as a|my job as a) (?:\w+ )?(?:officer|copper|vet|vet nurse"
    r"|pharmacist|youth worker|care worker|support worker|volunteer|call handler|dispatcher|gp|psychologist|counsellor"
    r"|therapist|firefighter|lifeguard|social worker|nurse|paramedic|teacher|doctor|carer|midwife)"
    r"|in my (?:\w+ )?(?:job|role)\b|at work (?:today |yesterday |this week )?(?:a|one of|we had|i had)"
    r"|(?:a|one of (?:my|our|the)) (?:pupils?|students?|residents?|clients?|service users?|prisoners?|callers?|regulars?)"
    r"|safeguarding (?:lead|audit)|followed (?:the )?(?:\w+ )?(?:policy|procedure|protocol|plan)|passed it (?:on|to)"
    r"|samaritans (?:training|shift)|on my wing|(?:at the|where i work|the) (?:chemist|pharmacy) where i work|debrief\w*)\b"
)

#: Everyday purposes, round 7 additions (read with :data:`CONTEXT_PURPOSE`).
CONTEXT_PURPOSE_MORE = re.compile(
    r"\b(?:bbq|barbecue|climbing (?:wall|rope)|abseil\w*|off grid|scrapyard|skateboard\w*|dye my hair|dying my hair"
    r"|(?:cut|cutting) my hair|julienne|knife skills|cooking class|the moss|weeds|spiders|the baby is here|babys here"
    r"|new baby|period (?:pain|cramps)|cramps|antihistamines?|vitamins|rehydration|weekly (?:pill )?box|rope swing"
    r"|fishing|wallpaper|paper cut|the shard|the views?"
    r"|tomatoes|onions|the veg|garden waste|incinerator|bonfire|hanging (?:pictures|the washing|out the washing|curtains|a shelf)"
    r"|(?:in|from) (?:his|her|their) will|clove hitch|dinghy|sailing|(?:person|someone) on the line)\b"
)

#: Everyday life that borrows risk's words (round 10): sport and fitness ("smashed my pb
#: at parkrun", "leg day destroyed me"), diets and fasts ("doing the 5:2 again", "ramadan so
#: im fasting"), help kept at hand but not needed ("havent needed it but its there", "111
#: option 2"), care arranged, DIY, blood tests and sport injuries. A safety plan itself is
#: not here: "safety plan homework - i couldnt fill in reasons to live" is a disclosure.
CONTEXT_EVERYDAY = re.compile(
    r"\b(?:parkrun|pb|personal best|leg day|hiit|spin class|bootcamp|crossfit|(?:half )?marathon|\d+ ?k (?:run|race)"
    r"|couch to 5k|skydive|bungee|clay pigeon|paintball|laser tag|workout|personal trainer"
    r"|5 ?: ?2|fast days?|intermittent fasting|ramadan|iftar|suhoor|lent ?:|for lent|low fodmap|dietitian|colonoscopy"
    r"|bowel prep|slimming world|weight ?watchers"
    r"|(?:havent|never) needed (?:it|to use it)|option 2"
    # round 10 (train9): care arranged, DIY, blood tests and injections, and sport injuries
    r"|memory clinic"
    r"|diy|putting up (?:shelves|a shelf|pictures|the curtains)|laying (?:the )?(?:lino|laminate|carpet|tiles)"
    r"|(?:doing|did) the (?:patio|decking|fence|guttering)|paving slab"
    r"|bloods (?:done|taken)|blood tests?|give blood|gave blood|lymph node|vitamin d"
    r"|at (?:rugby|hockey|netball|football|boxing)|(?:rugby|hockey|netball|football) (?:training|match|practice)"
    r"|we won the)\b"
)

#: The patient's own job (round 10, train9): a prison officer, a helpline, a night shift. Read
#: only where the message tells none of the writer's own risk: someone with access to means
#: through work ("as a paramedic i know what dose would do it") is not at work.
CONTEXT_JOB = re.compile(
    r"\b(?:prison officer|coroners? officer|(?:on|at) (?:a|the) (?:\w+ )?helpline|(?:my|a|the|doing) night shifts?"
    r"|called to a|(?:im|i am|i was|while) on shift|every shift|preceptorship|reflective practice|(?:i|we) arrested)\b"
)

#: A row that ended, or a child's ordinary discipline (round 10, train8-9): "made up by the
#: evening, he made me a tea", "ended in a compromise", "did the naughty step", "hes lost his
#: tablet for the weekend". Read only where nobody was hit, grabbed or frightened.
CONTEXT_SETTLED = re.compile(
    r"\b(?:made up (?:by|this|the next|after|later|again)|apologi[sz]ed|said sorry|(?:ended|ending) in a compromise"
    r"|we talked (?:it through|properly|about it)|naughty step|time ?outs?|(?:lost|losing) (?:his|her|their) "
    r"(?:tablet|ipad|phone|screen time|xbox|switch)|grounded (?:him|her|them)|sticker chart)\b"
)

#: A feared death or illness (round 10): health anxiety, not a wish ("convinced the mole is
#: melanoma and im going to die", "the fear of dying on the plane", "googled brain tumour").
CONTEXT_HEALTH_FEAR = re.compile(
    r"\b(?:health anxiety|(?:scared|afraid|terrified|frightened|fear|phobia|worried|worry|convinced"
    r"|panick\w*) (?:\w+ ){0,6}(?:dying|die|the end|having a (?:stroke|heart attack|seizure)|tumou?r|cancer|melanoma"
    r"|stroke|heart attack)|googl\w+ (?:\w+ ){0,5}(?:tumou?r|cancer|symptoms|stroke)|fast test|dermatology)\b"
)

#: A plan in words (round 7): a method or means, a place, a date or time, means
#: gathered, letters or affairs, or intent. "Suicide plan or intent" is named only
#: when the message says one of these; thoughts of being dead without them are
#: ideation (:func:`clinical.risk.renamed_category`).
PLAN_WORDS = re.compile(
    r"\b(?:plan\w*|decided|decision|made my mind up|mind is made up|(?<!not )(?<!never )(?:going to|gonna)|intend\w*"
    r"|ready|prepar\w*|(?:will|ill|i will|im) (?:do it|doing it|be gone|end it|go through)"
    r"|(?<!not )(?<!never )(?<!wont )(?<!couldnt )(?<!wouldnt )(?:do it|doing it)|this is it|attempt\w*"
    r"|tonight|tomorrow|this (?:weekend|week|friday|saturday|sunday|monday|tuesday|wednesday|thursday|time)"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the \d+\w*)|the \d+(?:st|nd|rd|th)|date"
    r"|when (?:everyones|everyone is|hes|shes|theyre|they are|the kids|no one|nobody)|once (?:the|my|i|its|everyone)"
    r"|after (?:the|my|christmas|xmas|\w+s birthday|her birthday|his birthday|im gone|i go|next)|countdown|days? left"
    r"|last (?:day|time|message|night|week|christmas|birthday|goodbye)|goodbyes?|letters?|notes? (?:for|to)"
    r"|(?:wrote|written|writing|write) (?:to|letters?|notes?|goodbye)|(?:my|a|the) will\b(?! to)|affairs|giv(?:en|ing|e) (?:my |away |things|stuff)|wont (?:need|be needing|be here|be around)"
    r"|(?:saved|saving|stockpil\w*|hoard\w*|collect\w*|counted|counting|gather\w*|hid|hidden|hide|stash\w*|bought|buying"
    r"|ordered|got hold of|sharpened)|method|how (?:many|much|long|high|deep|far)|lethal|enough to|googled|searched|looked up"
    r"|overdos\w*|od|took|taken|swallowed|tablets|pills|paracetamol|sertraline|insulin|meds|medication|ropes?|noose|hang\w*"
    r"|ligature|belts?|cords?|cables?|jump\w*|bridges?|cliffs?|edge|ledge|roofs?|balcony|multi ?storey|car park|tracks?|trains?"
    r"|platform|railway|level crossing|motorway|lorry|lorries|drown\w*|river|sea|canal|quarry|guns?|shotgun|shoot|knives|knife"
    r"|blades?|razors?|exhaust|hose ?pipe|pipe|charcoal|carbon monoxide|gas|poison\w*|bleach|wrists?|in the boot|the woods"
    r"|viaduct|reservoir|headland|beam|hook|knot|scarf|strap|neck|height|the flats|top floor|stairwell|envelopes?|cards?"
    r"|funeral|cremation|service|arrangements|sorted|boxed|not long now|wont be long|soon|the day|the night|pick (?:a|the|my)"
    r"|my moment|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|christmas|payday|june|july|winter))\b"
)

#: Self-harm in words, with no suicide word beside it: named self-harm, not a plan.
#: Plan words said only to deny them: "no plan", "nothing planned" (read before :data:`PLAN_WORDS`).
NO_PLAN = re.compile(
    r"\b(?:no|not any|without (?:a|any)|havent (?:got|made) (?:a|any)|dont have (?:a|any)|never made (?:a|any)|nothing)"
    r" (?:real |actual |specific |set )?(?:plans?|planned|intent\w*)\b"
)

#: Thoughts of being dead, or of wanting to be: ideation when no plan is said (round 7).
IDEATION_WORDS = re.compile(
    r"\b(?:wish|wishing|wished|pray\w*|hope (?:i|it|something|the)|want(?:ed)? to (?:die|be dead|disappear|not exist|not be here|stop existing)"
    r"|(?:thoughts?|thinking|think|thought) (?:about|of) (?:dying|death|being dead|not being here|suicide|killing myself|ending it|not existing)"
    r"|better off (?:dead|without me)|(?:not|never) (?:wake|waking) up|(?:dont|do not) want to (?:be here|live|exist|wake up|be alive|be around)"
    r"|no point (?:in )?(?:living|being here|going on|carrying on)|tired of (?:living|being alive|existing|life|being)|cant go on"
    r"|wouldnt (?:mind|care) if|if (?:i|something) (?:died|didnt wake|got hit)|disappear|not exist|suicidal (?:thoughts|feelings)"
    r"|waiting to die|no plans?|nothing planned|not going to do anything|wont do anything|switched off|stop existing)\b"
)

SELF_HARM_WORDS = re.compile(
    r"\b(?:cut|cuts|cutting|burn|burns|burnt|burned|burning|scratch\w*|bleed\w*|bled|blades?|razor|self ?harm\w*|sh"
    r"|slic\w*|carv\w*|gouge\w*|stitch\w*|scars?"
    r"|hit(?:ting)? myself|punch(?:ing|ed)? (?:myself|walls?)|bang(?:ing|ed)? my head|pick(?:ing|ed)? (?:my )?skin|bruis\w*)\b"
)
SUICIDE_WORDS = re.compile(
    r"\b(?:die|dying|dead|death|suicid\w*|kill (?:myself|me)|end (?:it|my life|things)|not (?:be|being) here|overdos\w*|od"
    r"|jump\w*|hang\w*|noose|rope|gone|goodbye|letters?|wont (?:be here|be around|wake)|wake up|bridge|tracks?|train)\b"
)


# ---------------------------------------------------------------- message context (round 8)

#: Everyday low mood: fed up, flat, tired, lonely, crying, a rubbish week. It is what most
#: patients in CBT for depression say; on its own it is not risk (round 8). Read with
#: :data:`RISK_BESIDE_MOOD`: any word of death, harm, a plan or a goodbye beside it wins.
CONTEXT_LOW_MOOD = re.compile(
    r"\b(?:(?:feel|feels|feeling|felt|im|i am|ive been|been|bit|so|pretty|really|quite|a bit|all|just) (?:a bit |so |really "
    r"|pretty |quite |very |dead |proper |bit )?(?:flat|low|down|empty|numb|grey|miserable|rubbish|rotten|sad|blue|lonely|meh"
    r"|gloomy|glum|tearful|worthless|hopeless)|fed up|knackered|shattered|miserable|sick of (?:feeling|it|this|the|being)"
    r"|tired of (?:feeling|the|this|it|being tired)|lost my (?:spark|mojo|motivation)|cant be bothered|a chore"
    r"|under the (?:duvet|covers|blanket)|no energy|heavy feeling|bad day|rubbish (?:week|day)|one of those days|low ebb"
    r"|in a rut|down in the dumps|(?:my )?mood (?:has |is |was )?(?:dipped|low|down|rubbish)|everything feels (?:grey|pointless|flat|heavy)"
    r"|(?:i|ive|i have|i was|been|keep|kept|i keep) (?:been )?(?:crying|cried)|(?:had|having) a (?:proper )?wobble|the dread"
    r"|(?:sunday|monday) (?:night )?(?:dread|blues))\b"
)

#: Words that make low mood, a question, a worksheet or a story the patient's own risk:
#: death, harm, means, a plan, a goodbye, things given away (round 8). Broad on purpose:
#: a hold-back that yields too often costs a false alarm; one that yields too seldom, a miss.
RISK_BESIDE_MOOD = re.compile(
    r"\b(?:die|died|dying|dead|death|suicid\w*|kill\w*|end (?:it|things|my life|myself)|ending (?:it|things|my life)"
    r"|not (?:be|being) (?:here|around)|(?:not|never) (?:wake|waking)|better off without|burden|disappear|funeral"
    r"|no point (?:in )?(?:living|being here|going on|carrying on|me being)|cant go on"
    r"|wont be (?:here|around|needing|a problem)|giv(?:e|ing|en) (?:\w+ ){0,3}(?:away|stuff|things)|stockpil\w*"
    r"|sav(?:e|ed|ing) (?:up )?(?:my |the |them|it)|goodbye|letters?|notes? (?:for|to)|passwords|affairs|(?:my|a) will\b"
    r"|last (?:message|time|one|night on)|overdos\w*|tablets|pills|paracetamol|rope|noose|blade|razor|knife|bridge"
    r"|platform|edge|cliff|jump\w*|hang\w*|cut(?:ting)? (?:my|myself)|scratch\w*|burn\w* (?:my|myself)|bleed\w*|bled"
    r"|self ?harm\w*|hurt\w* (?:my|me|myself|him|her|them)|on purpose|hoping something|lucky (?:them|him|her)|be me"
    r"|decided|plan\w*|tonight|ready|(?:every|most) (?:day|night|evening)s?|all day|again|wake up"
    r"|sleep (?:forever|and not)|everyone would|hit\w*|hits|abus\w*|(?:scared|afraid) of (?:him|her|them)"
    r"|alive|carry on|carrying on|go on|no future|(?:a|any) way (?:forward|out)|done pretending|pretending|cancel\w*"
    r"|gave|given|(?:shak\w*|shook) (?:him|her|them|the|my|our|his)|slap\w*|smack\w*|push\w*|grab\w*|shout\w* at (?:me|the)|neglect\w*"
    r"|(?:left|leaves|leave) (?:\w+ ){0,3}(?:alone|on (?:their|his|her) own)|hungry|no food|lock\w*|nappy|unsafe)\b"
)

#: A question about risk in general, asked for a friend, a course, an essay or how the
#: service works (round 8): "if someone tells you they're suicidal do you have to tell
#: their gp?", "what's the difference between self harm and suicide?", "we had a first
#: aid course". Read with the patient's own risk (:func:`clinical.risk.context_reasons`).
CONTEXT_QUESTION = re.compile(
    r"\b(?:if (?:someone|somebody|a (?:client|patient|friend|person))|do you (?:get|have to|ever|see)"
    r"|would you (?:have to|ring|tell|call|report)|what happens if|what (?:do|would|should) (?:you|we|people) (?:do|say)"
    r"|difference between|what (?:does|do|is) (?:\w+ ){0,4}(?:mean|stand for)|is it (?:true|normal|safe|common) (?:that|to|for)"
    r"|for (?:my|an|the|a) (?:\w+ ){0,2}(?:essay|assignment|dissertation|module|exam)|first aid|pshe|asking for a friend"
    r"|(?:im|i am) training (?:to be|as)|how do (?:i|you) (?:know|talk|help|support|tell)|would it be (?:a )?safeguarding"
    r"|where would i ring|want the number saved|came up in (?:a|the) (?:book|lecture|class|training))\b"
)

#: A screening item answered above 0, or the answer taken back (round 8): a form is the
#: patient's own answer, not an exercise, when it says yes.
SCREEN_POSITIVE = re.compile(
    r"\b(?:(?:put|scored|ticked|circled|answered|gave it|said) (?:a )?(?:1|2|3|one|two|three|yes|several days"
    r"|more than half|nearly every day)|(?:was|is|its) (?:a )?[123]\b|lied|didnt want you to see"
    r"|the real answer|(?:every|most) (?:day|days|night|nights|evening)|crept back|meant it|yes)\b"
)
