"""Phrase rules for risk screening, one table per category.

Each rule is a regular expression over the normalised text built by
``clinical.risk`` (see ``clinical.risk_lexicon`` for the normalisation).
``<NAME>`` stands for one of the MACROS below.  A rule may need *context*: a
lexeme class that must appear somewhere in the message (``"si"``, ``"sh"``,
``"drugs"``), so that a vague phrase ("i've got a plan", "the urges are back")
only counts in a message that is already about suicide or self-harm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MACROS: dict[str, str] = {
    # "(rather die) than do karaoke": a chore or an embarrassment, not living (round 10)
    # things thrown at someone in anger (round 10), not a ball
    "THROWN": (
        r"(?:\w+ )?(?:remote|mug|plate|plates|glass|bottle|shoe|phone|chair|cup|knife|ashtray|tin|can|controller|iron|belt"
        r"|book|lighter|keys|dinner|food|bowl|pan|laptop|vase|lamp)"
    ),
    "TRIVIALTHAN": (
        r"than (?:do|doing|sing|dance|karaoke|wear|eat|watch|listen|sit through|speak|present|give a|make a|ask"
        r"|admit|phone|ring|call|touch|use|go (?:to (?:the|a|that|this|work|school|a party|the dentist)|running"
        r"|shopping|camping|clubbing)|go back to (?:that|the|this|a) (?:\w+ )?(?:class|gym|shop|restaurant|pub|club|party"
        r"|meeting|dentist|place|salon|hairdressers?|office))"
    ),
    "ME": r"(?:myself|my self|me)",
    "MYSELF": r"(?:myself|my self|meself)",
    "I": r"(?:i|im|ive|id|ill)",
    "IM": r"(?:im|i am|i m)",
    "IVE": r"(?:ive|i have|i)",
    # gaps of up to n words, never a negation ("he's never hurt me")
    "NN": r"(?!(?:not|no|never|dont|doesnt|didnt|wont|wouldnt|havent|hasnt|isnt|wasnt|cant|couldnt) )",
    "W2": r"(?:<NN>[a-z0-9]+ ){0,2}",
    "W3": r"(?:<NN>[a-z0-9]+ ){0,3}",
    "W5": r"(?:<NN>[a-z0-9]+ ){0,5}",
    "W8": r"(?:<NN>[a-z0-9]+ ){0,8}",
    "KILL": r"(?:kill|killing|killed|kills)",
    "WANT": (
        r"(?:want to|want|wanted to|wanting to|wish to|wish i could|would like to|feel like|"
        r"felt like|feeling like|tempted to|urge to|urges to|need to|should|could|might)"
    ),
    "THINK": (
        r"(?:thinking about|thought about|think about|thinks about|thoughts of|thoughts about|"
        r"thinking of|thought of|considering|considered|contemplating|fantasi[sz]ing about|"
        r"dreaming about|imagining|imagine|ideas about|obsessing about)"
    ),
    "INTENT": (
        r"(?:going to|planning to|plan to|planning on|about to|will|ill|i will|decided to|"
        r"ready to|intend to|intending to|gonna|im doing|doing it)"
    ),
    "WHEN": (
        r"(?:tonight|today|tomorrow|now|right now|this weekend|this evening|this afternoon|"
        r"this week|later|soon|next week|on (?:monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"after (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|at the weekend|"
        r"when (?:everyone|every one|they|the house|the kids|he|she) )"
    ),
    "LATER": (
        r"(?:tonight|today|tomorrow|this weekend|this evening|this afternoon|"
        r"this week|next week|on (?:monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"after (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|at the weekend)"
    ),
    "CUTNOT": (
        r"(?! (?:out|down|back|off|up|ties|corners|it|them|the|a|an|some|my hair|hair|class|"
        r"classes|school|lessons|people|him|her|in|through|across|costs|sugar|carbs|meat|"
        r"alcohol|caffeine|coffee|grass|wood|paper|onions|veg|my finger|my thumb|my hand|"
        r"my foot|my lip|my chin|my face shaving|loose|short|corners|the cord|contact|"
        r"everyone|everything|it out|them out|my losses|my hours|hours))"
    ),
    "END": (
        r"(?:end it all|end it(?! with)|end my life|end my own life|end things(?! with)|"
        r"end everything|take my life|take my own life|be dead|not be here|not exist|"
        r"stop existing|stop living)"
    ),
    "ENDING": (
        r"(?:ending it all|ending it(?! with)|ending my life|ending things(?! with)|"
        r"ending everything|taking my life|taking my own life|killing myself|suicide|"
        r"being dead|not being here|not existing)"
    ),
    "DRUG": (
        r"(?:tablets|tablet|pills|pill|meds|paracetamol|paracetemol|ibuprofen|codeine|"
        r"sleeping pills|antidepressants|sertraline|citalopram|fluoxetine|mirtazapine|"
        r"painkillers|co codamol|cocodamol|codamol|aspirin|insulin|lithium|medicine|tramadol|"
        r"diazepam|valium|propranolol|amitriptyline|zopiclone|pregabalin|gabapentin|quetiapine|"
        r"olanzapine|naproxen|venlafaxine|morphine|oxycodone|nytol|sleeping tablets|capsules)"
    ),
    "METHOD": (
        r"(?:hang myself|hanging myself|jump off|jump from|jumping off|jumping from|"
        r"throw myself|throwing myself|step in front of|stepping in front of|walk in front of|"
        r"walking in front of|drive (?:my car )?(?:off|into)|driving (?:my car )?(?:off|into)|"
        r"crash my car|crashing my car|slit my (?:wrists|throat)|drown myself|drowning myself|"
        r"shoot myself|gas myself|suffocate myself|overdose|take an overdose|"
        r"take all (?:my|the|of my) <DRUG>|take (?:them|it) all|swallow (?:them|it) all|"
        r"lie on the (?:tracks|railway|road)|stab myself|electrocute myself|"
        r"(?:walk|walking|swim|swimming|wade|wading) (?:out )?(?:into|in) (?:the )?(?:sea|river|lake|"
        r"water|traffic|canal|reservoir)|(?:go|going|get|getting|lie|lying|stand|standing) "
        r"(?:down )?on (?:the )?(?:line|tracks|railway)|(?:drive|driving) into (?:a |the )?\w+)"
    ),
    "PLACE": (
        r"(?:bridge|roof|rooftop|ledge|edge|cliff|tracks|railway|station platform|"
        r"car park|multi storey|balcony|top floor|motorway bridge|river|canal)"
    ),
    "PARTNER": (
        r"(?:partner|husband|wife|boyfriend|girlfriend|fiance|fiancee|other half|spouse|ex|"
        r"ex partner|ex husband|ex wife|ex boyfriend|ex girlfriend)"
    ),
    "FAMILY": (
        r"(?:dad|father|mum|mother|stepdad|stepmum|step dad|step mum|brother|sister|son|"
        r"daughter|uncle|aunt|in law|mother in law|father in law|brother in law|cousin)"
    ),
    "BODY": (
        r"(?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|belly|hip|hips|body|chest|"
        r"ankle|ankles|forearm|forearms|shoulder|shoulders|hand|hands|face|neck|throat|hair|head|"
        r"ribs|nose|jaw|eye|eyes|back|finger|fingers)"
    ),
    "PERP": (
        r"(?:(?:my )?<PARTNER>|(?:my )?(?:dad|father|mum|mother|stepdad|step dad|brother|"
        r"son|uncle|mother in law|father in law|brother in law)|he|she|hes|shes|they)"
    ),
    "HITME": (
        r"(?:hit|hits|hitting|punch|punched|punches|punching|slap|slapped|slaps|slapping|"
        r"kick|kicked|kicks|kicking|beat|beats|beating|beaten|push|pushed|pushes|pushing|"
        r"shove|shoved|shoves|smack|smacks|smacked|hurt|hurts|hurting|bit|bites|attacked|"
        r"shakes|shook|shaking|pinned|pins|strikes|struck|whacked|whacks|hurled|"
        r"attacks|battered|batters|headbutted|grabbed|grabs|dragged|drags|slammed|"
        r"(?:threw|throws|throwing) (?:things|stuff|plates|objects|a \w+|his \w+|her \w+) at|"
        r"threw|throws|throwing|knocked|spat at|spits at|bruised|raped|assaulted|"
        r"burned|burnt|locked|locks|threatens|threatened|threatening|punched)"
    ),
    "CHOKE": (
        r"(?:strangled|strangles|strangling|strangle|choked|chokes|choking|choke|throttled|"
        r"throttles|throttling|suffocated)"
    ),
    "CHILD": (
        r"(?:son|sons|daughter|daughters|kids|kid|children|child|baby|babies|toddler|"
        r"little one|little ones|little brother|little sister|baby brother|baby sister|"
        r"niece|nephew|stepson|stepdaughter|step son|step daughter|grandson|granddaughter|"
        r"newborn|twins|boys|girls|\d+ year old|\d+ yr old|\d+ month old)"
    ),
    "ANYONE": r"(?:someone|somebody|people|anyone|others|other people|everyone)",
    "OBJ": (
        r"(?:him|her|them|the lot of them|"
        r"(?:my|the|that|this|his|her|our) (?:\w+ )?(?:neighbour|neighbor|neighbours|landlord|"
        r"boss|manager|stepdad|step dad|dad|father|mum|mother|brother|sister|ex|"
        r"partner|husband|wife|boyfriend|girlfriend|flatmate|housemate|colleague|coworker|"
        r"teacher|friend|mate|cousin|uncle|aunt|man|woman|guy|bloke|lad|girl|kid|"
        r"brother in law|sister in law|mother in law|father in law|family|bully|bullies|"
        r"attacker|abuser|rapist|doctor|gp|therapist|nurse|dealer|son|daughter|"
        r"new boyfriend|new girlfriend|bf|gf|supervisor|team leader|customer|"
        r"people|lot of them|kids))"
    ),
    "HARMV": (
        r"(?:hurt|kill|stab|batter|beat up|beat|punch|attack|shoot|strangle|murder|harm|"
        r"smash|glass|knife|slash|burn|run over|do in|get|sort out|deal with)"
    ),
    "VULN": (
        r"(?:dementia|alzheimers|learning disability|learning disabilities|learning difficulty|learning difficulties|"
        r"disabled|disability|"
        r"autism|autistic|wheelchair|care home|nursing home|supported living|day centre|"
        r"carer|carers|elderly|frail|housebound|bedbound|pension|benefits|"
        r"gran|granny|grandma|nan|nana|grandad|grandpa|i am [6-9]\d|im [6-9]\d|"
        r"[6-9]\d years old|mental capacity|vulnerable|nans|grans|grannys|nanas|grandads|"
        r"grandpas|grandmas|support worker|care worker|carers|the home|a home|residential home|"
        r"supported housing|learning difficulties|(?:is|hes|shes|aged|age|turned) [6-9]\d|"
        r"in (?:his|her|their) (?:70s|80s|90s|eighties|nineties)|pensioner|oap|old lady|old man|"
        r"elderly|memory problems|stroke|blind|deaf|mencap)"
    ),
}


@dataclass(frozen=True)
class Rule:
    """One phrase that signals risk.

    ``subject``: check that the patient (not a friend, a film) is the subject;
    ``None`` means "only if the phrase names nobody itself".
    """

    category: str
    severity: str
    pattern: str
    context: str | None = None
    subject: bool | None = None
    history: bool = True
    negation: bool = True
    jokes: bool = True
    unless: str | None = None  # a CONTEXTS class that, in the same message, vetoes the rule
    act: bool = False  # an act ("cut myself"): not when it follows "want to", "urges to"
    #: co-occurrence: each of these patterns must also match in the same clause
    #: (or sentence, see ``scope``) as ``pattern``, in any order.  This is how a
    #: concept rule is written: (desire) + (death), (means) + (preparation).
    also: tuple[str, ...] = ()
    scope: str = "clause"  # "clause" or "sentence": where the ``also`` parts may sit
    veto: str | None = None  # a pattern that, in the same sentence, cancels the rule


SP, SI, SH = "suicide_plan_or_intent", "suicidal_ideation", "self_harm"
HO, SC, SA, DA = "harm_to_others", "safeguarding_child", "safeguarding_adult", "domestic_abuse"
U, H, M = "urgent", "high", "moderate"

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------- plan / intent
    # Round 10 (train9): a note drafted beside a time to do it
    Rule(SP, U, r"(?:drafted|drafting|wrote|written|writing) (?:the|my) (?:note|letter)s?", scope="message",
         also=(r"doing it|do it|this weekend|tonight|tomorrow|while (?:\w+ ){0,3}(?:away|out|has the kids)",)),
    # Round 10: plans told without the usual words (read from the labelled sets' out-of-fold
    # misses: in-sample for these rules, so only new false alarms and the unseen probes judge them).
    # "no more 🔪🩸 tonight's it", "⚰️ soon. made my mind up", "💊💊💊 done. sorry"
    Rule(SP, U, r"(?:tonights|tonight is|todays|today is|tomorrows|tomorrow is) it(?= \.| ,| !|$)", context="si_or_means",
         negation=False),  # "no more" is part of it
    Rule(SP, U, r"(?:mind is made up|made my mind up|(?:ive|i have) decided|no going back)", scope="message",
         also=(r"coffin|grave|die|dead|death|end it|ending it|suicid\w*|kill myself|goodbye|going through with it"
               r"|rope|noose",)),
    Rule(SP, U, r"(?:(?:pills|tablets) ){2,}(?:\S+ )?(?:done|taken|gone|swallowed|down)"),
    # "gonna finish what i started in march. properly this time", "going through with it"
    Rule(SP, U, r"finish (?:what i started|the job)", scope="message", history=False,
         also=(r"botched|this time|attempt\w*|overdose\w*|didnt work",)),
    Rule(SP, U, r"(?:going|gonna|im|will|ill) (?:to )?(?:go |going )?through with it", scope="message",
         also=(r"mind is made up|made my mind up|no going back|coffin|goodbye|die|end it|pills|rope|bridge|note",)),
    # the crisis words themselves, and a rehearsal on the line
    Rule(SP, U, r"(?:im|i am|i m) not safe (?:right now|tonight|at the moment|from myself|with myself|on my own|to be alone)"
         r"|(?:dont|do not) feel safe (?:from|with|around) myself|(?:cant|can not|cannot) keep myself safe"),
    Rule(SP, U, r"(?:lay|laid|lying|lie) down on the (?:tracks|track|railway|railway line|line)"),
    # affairs put in order for a date, a will beside a funeral, loose ends
    Rule(SP, U, r"(?:sorted|ready|arranged|in order|done) (?:for|by|before) (?:the \d+\w*|monday|tuesday|wednesday|thursday"
         r"|friday|saturday|sunday|tonight|tomorrow|next week|the weekend)", scope="message",
         also=(r"rehomed|rehoming|cancel\w+|gave notice|my will|funeral|insurance|pension|passwords|goodbye|letters",),
         veto=r"moving|move|new (?:flat|house|job|place|life)|flight|excited|holiday|abroad|emigrat\w*|wedding|party|baby"),
    Rule(SP, U, r"(?:songs?|music|hymns?|readings?|outfit) for my (?:own )?funeral"),
    Rule(SP, U, r"tying up (?:all )?(?:the |my )?loose ends", scope="message",
         also=(r"deleted|passwords?|socials|goodbye|my will",), veto=r"handover|holiday|maternity|leave|new job"),
    # "if you dont hear from me after friday, thats why", "tell them it wasnt their fault"
    Rule(SP, U, r"(?:dont|do not|never) hear from me (?:again|after \w+ ?,? (?:thats why|you know why|youll know))"),
    Rule(SP, U, r"(?:if anyone asks (?:, )?|please |when im gone (?:, )?|after (?:, )?)tell (?:them|everyone|my \w+) (?:that )?it "
         r"(?:wasnt|was not) (?:their|his|her|anyones) fault",
         subject=False),
    # "ill be with dad soon, ive decided"
    Rule(SP, U, r"(?:ill|i will|im going to|going to) be with (?:my )?(?:dad|mum|mam|nan|gran|grandad|him|her|them|son|daughter"
         r"|husband|wife|brother|sister|baby) (?:again )?soon", scope="message",
         also=(r"(?:ive|i have|i) decided|died|passed|funeral|grave|ashes",)),
    # the means tested, counted, hoarded, or sat with
    Rule(SP, U, r"(?:beam|hook|bannister|banister|loft hatch|branch) (?:\w+ ){0,3}(?:takes|take|holds|hold"
         r"|would hold|will hold|can hold|took) (?:my weight|me)(?! (?:for|doing) (?:pull|chin))"),
    Rule(SP, U, r"(?:<DRUG> (?:\S+ ){0,8}i counted (?:it|them)|counted (?:out )?(?:all )?(?:the |my |her |his )?<DRUG>)"
         r"(?! (?:\S+ ){0,4}(?:dosette|pill organi[sz]er|pharmacy|pharmacist|for the week|weekly|blister))",
         scope="message", veto=r"pharmacy|pharmacist|chemist|dosette|pill organi[sz]er|blister|make sure|right number|short|missing"),
    Rule(SP, U, r"prescriptions? early", scope="message",
         also=(r"havent taken (?:any|them)|not taking them|saving them|stockpil\w*|keeping them",)),
    Rule(SP, U, r"(?:sat|sitting|sit) (?:here )?with (?:\S+ ){0,6}(?:whole|all (?:my|the)|every) (?:\w+ ){0,2}"
         r"(?:prescription|meds|pills|tablets|medication)(?! (?:\S+ ){0,4}(?:sort\w*|dosette|organi[sz]\w*|for the week))"),
    Rule(SP, U, r"one way ticket", scope="message",
         also=(r"cliffs?|bridge|beachy head|edge|goodbye|wont be (?:back|coming back)|not coming back",),
         veto=r"new (?:life|job|start)|moving|emigrat\w*|excited|visa|holiday|travel\w*|gap year"),
    # leaving a job, meaning everything
    Rule(SP, U, r"(?:leaving|notice|resign\w*|quit\w*) (?:\S+ ){0,6}(?<!thanks )(?<!thank you )(?<!sorry )"
         r"(?:meant|mean|means|for) everything"
         r"|(?:means|meant) more than (?:the|my|a) job"),
    Rule(SP, U, r"<INTENT> <W2>(?:kill <MYSELF>|<END>|<METHOD>|commit suicide)"),
    # Round 10: "going to die" feared is not intent ("scared ill die if something gets stuck",
    # "convinced ... im going to die before my kids grow up", "keep thinking ill die in my sleep").
    Rule(SP, U, r"<INTENT> <W2>die", scope="sentence",
         veto=r"scared|afraid|terrified|frightened|worried|worrying|worry|convinced|phobia|fears?|panic\w*|anxiety"
         # round 11: "literally going to die if i have to hear that song in the shop one more time"
         r"|if i have to (?:hear|listen to|see|watch|sit through|do|eat|go to (?:the|that|another|a)) "
         r"(?:\w+ ){0,6}(?:one more time|again)"
         r"|anxious|paranoid|certain|in my sleep|melanoma|cancer|tumou?r|heart attack|stroke|turbulence"),
    Rule(SP, U, r"(?:kill <MYSELF>|<END>|<METHOD>|die) <W3><LATER>"),
    Rule(SP, U, r"(?:tonights|today is|tomorrow is|this is) the (?:night|day)"),
    Rule(
        SP, U, r"(?:have|got|made|making|working on|ive got|theres) (?:a|the|my) plan", context="si"
    ),
    Rule(
        SP,
        U,
        r"plan (?:to|on|for) (?:kill|killing|ending|end|taking|take) <W2>(?:myself|my life|it all|it|things)",
    ),
    Rule(
        SP,
        U,
        r"(?:plan|planned|planning|worked out|work out|know|decided|figured out|researched|"
        r"looked up|looking up|googled|googling|searching|searched)(?: exactly)? "
        r"(?:how|when|where|the best way|ways|the way|methods?) "
        r"<W3>(?:do it|kill <MYSELF>|die|end it|<END>|overdose|it takes|to go)",
        context="si",
    ),
    Rule(
        SP,
        U,
        r"(?:googled|googling|searched|searching|looked up|looking up|researched|"
        r"researching) <W3>(?:how to (?:kill <MYSELF>|die|end it|overdose|hang)|"
        r"(?:ways|way|methods?) to (?:die|kill <MYSELF>|end it|commit)|suicide methods|"
        r"how many <DRUG>|lethal dose|painless (?:way|death))",
    ),
    Rule(
        SP,
        U,
        r"(?:googled|googling|searched|searching|looked up|looking up|researched|researching|"
        r"reading about) <W3>(?:overdoses|overdose|overdosing|suicide|hanging|lethal|ways to die|"
        r"how to die|painless)",
    ),
    Rule(SP, U, r"how many <DRUG> (?:it takes|would|to (?:die|kill|end)|does it take)"),
    Rule(
        SP,
        U,
        r"(?:saved|saving|saved up|saving up|stockpiled|stockpiling|hoarding|hoarded|"
        r"collecting|collected|stashing|stashed|stored up|storing up|kept|keeping|hiding) "
        r"<W3><DRUG>(?! for (?:a|the|my) (?:holiday|trip))",
    ),
    Rule(
        SP,
        U,
        r"(?:enough|all my|loads of|a load of|lots of|boxes of|packets of|packs of) <DRUG> "
        r"<W3>(?:saved|ready|to do it|to die|to end|hidden|stashed|put away|in my (?:drawer|bag|room))",
    ),
    Rule(
        SP,
        U,
        r"(?:bought|got|buying|getting|ordered) (?:loads of|a load of|lots of|boxes of|"
        r"packets of|packs of|loads|a lot of|extra|enough) <DRUG>",
        veto=r"<BENIGNUSE>|pains?|aches?|cramps?|temperature|fever|for the (?:kids|baby)|"
        r"(?:this|the) month",
    ),
    Rule(
        SP,
        U,
        r"(?:have|got|ive got|keeping|keep|kept|stashed|hidden|hid) (?:[1-9]\d|[2-9]\d\d|loads of|"
        r"enough|a stash of|a box of|boxes of|a load of|a pile of|a bag of|all these) (?:\w+ )?<DRUG>"
        r"(?! left| remaining| to last| a day| per| prescribed| on repeat| in my prescription)",
        veto=r"<BENIGNUSE>|pains?|aches?|cramps?|temperature|fever|for the (?:kids|baby)|"
        r"(?:this|the) month",
    ),
    Rule(SP, U, r"<DRUG> (?:are |is )?(?:ready|lined up|counted out|saved|set aside)"),
    Rule(
        SP,
        U,
        r"(?:bought|got|have|ive got|found|hidden|hid|tied|tying) (?:a |the )?(?:rope|noose|ligature)"
        r"(?! for (?:the|a|my) (?!garage|loft|shed))(?! to (?:tie|fix|hang the|hang up))",
    ),
    # Being with the means, whatever the clause before it was about: "was hanging the
    # washing then sat in the garage with the rope for an hour". A ligature is enough;
    # pills need the time spent with them ("with all my tablets for an hour"). The
    # exclusions sit in the pattern: a veto gives way to being with the means.
    Rule(
        SP,
        U,
        r"(?:sat|sitting|sit|lay|lying|laid|stood|standing|waited|waiting(?! room| area| list)|parked|hid|hiding) "
        r"(?!(?:\w+ ){0,5}?(?:boat|tent|horse|dog|swing|tug) )<W5>with (?:the|a|my|all the|all my|all of my) "
        r"(?!skipping |climbing |tow |jump |washing |tent |boat )(?:\w+ )?(?:rope|noose|ligature|hosepipe)",
    ),
    Rule(
        SP,
        U,
        r"(?:sat|sitting|lay|lying|stood|standing|waited|waiting(?! room| area| list)) "
        r"(?!(?:\w+ ){0,5}?(?:waiting room|pharmacy|chemist|queue|surgery|doctors|gp|hospital|a and e) )"
        r"<W5>with (?:the|my|all the|all my|all of my|a pile of|a load of|a box of|boxes of|a handful of) "
        r"(?!prescription |repeat |new )(?:\w+ )?<DRUG> "
        r"(?:for|until|till) (?:an|a|about|nearly|over|\w+) (?:hour|hours|while|ages|night|half)"
        r"(?! (?:\w+ ){0,4}(?:as prescribed|whether to take|if i should take|to take my dose))",
    ),
    Rule(
        SP, U, r"(?:got|have|bought) (?:a |the )?(?:hose|hosepipe) (?:for|to) <W2>(?:exhaust|car)"
    ),
    Rule(
        SP,
        U,
        r"(?:have|got|holding|ive got|bought) (?:a |the )?(?:knife|blade|gun) <W5>(?:use it on|on) <MYSELF>",
    ),
    Rule(
        SP,
        U,
        r"(?:taken|took|swallowed|had|have taken|just taken|ate|eaten|necked|downed) (?:all|all of|the whole|a whole|"
        r"every|loads of|a load of|a handful of|handfuls of|a box of|a packet of|"
        r"(?:[1-9]\d|[2-9]\d\d|ten|twelve|fifteen|twenty|thirty|forty|fifty)) "
        r"(?:of )?(?:my |the |of my |his |her )?(?:\w+s )?<DRUG>",
    ),
    Rule(SP, U, r"(?:taken|took|have taken|just took|had|done) (?:an |a )?overdose"),
    # Minimised (round 8 review): "i took a small overdose", "it was only a little overdose"
    Rule(SP, U, r"(?:taken|took|have taken|just took|had|done|it was|was only|was just) (?:only |just )?(?:an |a )"
         r"(?:small|little|tiny|minor|mini|quick|silly|stupid|half|baby) overdose"),
    Rule(SP, U, r"overdosed"),
    Rule(
        SP,
        U,
        r"(?:attempted|tried to|tried) (?:suicide|kill <MYSELF>|killing <MYSELF>|"
        r"<END>|end it|hang <MYSELF>|overdose)",
    ),
    Rule(
        SP,
        U,
        r"(?:suicide|goodbye|farewell|last) (?:note|notes|letter|letters|message|messages|video)"
        r"(?! to my (?:old |former )?(?:job|anxiety|depression|flat|house|home|school|uni|"
        r"addiction|eating disorder|ed|ocd|panic|worry|fear|self))",
    ),
    Rule(
        SP,
        U,
        r"(?:written|wrote|writing|write|left|leaving|leave) (?:a |my |some )?"
        r"(?:letters?|notes?|messages?|cards?) (?:to|for) (?:my |all my |each of my )?"
        r"(?:family|mum|dad|kids|children|partner|wife|husband|everyone|parents|friends|"
        r"sister|brother|son|daughter|boyfriend|girlfriend|loved ones|nan|gran|people)"
        r"(?! (?:for|about|on) (?:their|his|her|the|a|my) (?:birthday|christmas|anniversary|wedding))",
        # round 10: grief work ("the cruse counsellor suggested i write letters to mum")
        scope="sentence",
        veto=r"(?:counsellor|therapist|you|cruse|grief \w+) (?:suggested|said|told me|asked me|recommended)|unsent"
        r"|(?:about|on) the day (?:she|he|they) died|to (?:my )?(?:late|dead) \w+",
    ),
    Rule(
        SP,
        U,
        r"(?:this is|saying) (?:my )?goodbye(?! to (?:my |the )?(?:old|job|flat|house|"
        r"home|anxiety|depression|year|summer))",
    ),
    Rule(SP, U, r"(?:thank you|thanks) for everything (?:and |, )?(?:goodbye|bye|sorry)"),
    Rule(SP, U, r"(?:goodbye|bye) (?:forever|everyone|for good|for ever)"),
    Rule(SP, U, r"by the time you (?:read|see|get) this"),
    Rule(SP, U, r"(?:this|that) (?:will|ll|is going to) be (?:my|the) last (?:message|time|text)"),
    Rule(
        SP,
        U,
        r"(?:wont|will not|not going to) be (?:here|around|alive)(?: \S+){0,3} "
        r"(?:by|for|at|next|to|when|after|anymore|much longer|tomorrow|monday|friday)",
        veto=r"<AWAY>",
        scope="sentence",
    ),
    Rule(SP, U, r"(?:ill|i will|i ll) be (?:gone|dead) (?:by|before|soon|tomorrow|tonight|next)"),
    Rule(
        SP,
        U,
        r"(?:wont|will not|not going to) (?:need|be needing) (?:it|them|this|anything|my \w+) "
        r"(?:after|anymore|any more|where im going|much longer)",
        scope="sentence",
        # a replacement or a reason: "work are giving me a van", "bought a bike"
        veto=r"giving me|gave me|get(?:ting)? (?:a|an|my)|new|bought|replac\w*|sold|selling|"
        r"van|company car|lease|hire car|courtesy car|instead|retir\w*|moving",
    ),
    Rule(
        SP,
        U,
        r"(?:giving|given|gave|give) (?:away )?(?:all )?(?:my|of my) "
        r"(?:things|stuff|belongings|possessions|valuables|jewellery|savings|dog|cat|pets|pet)"
        r"(?: away| to)",
    ),
    Rule(
        SP,
        U,
        r"(?:giving|given|gave) away (?:all )?(?:my|of my) "
        r"(?:things|stuff|belongings|possessions|valuables|jewellery|savings|dog|cat|pets|pet)",
    ),
    Rule(
        SP,
        U,
        r"(?:affairs in order|cancelled everything|said my goodbyes|saying my goodbyes|"
        r"made my peace(?! with (?:my|him|her|his|them|the|our|a|what happened)\b))",
        # farewells at a leaving do, an airport or a deathbed; reconciling with someone
        veto=r"leaving (?:do|party|drinks)|party|airport|station|funeral|hospice|retir\w*|"
        r"moving|move to|emigrat\w*|new job|holiday|graduat\w*|colleagues|passed peacefully",
    ),
    Rule(
        SP,
        U,
        r"(?:standing|stood|sat|sitting|im|i am) (?:on|at|by|near) (?:the|a) <PLACE> "
        r"<W3>(?:right now|now|jump|going to|ready)",
    ),
    Rule(SP, U, r"(?:im|i am|im sat|im standing) (?:on|at) (?:the|a) <PLACE>(?: right)? now"),
    Rule(
        SP,
        U,
        r"(?:been|went|go|going|gone) (?:to|up to|down to) (?:the|a) <PLACE> "
        r"<W5>(?:look|looking|check|jump|times|again)",
    ),
    Rule(SP, U, r"(?:look|looking|looked) (?:at|over) (?:the )?(?:tracks|drop|edge)"),
    Rule(
        SP,
        U,
        r"(?:going to|will|ill|gonna|about to|ready to) jump(?= \.| ,|$| now| tonight| off| from)",
    ),
    Rule(
        SP,
        U,
        r"(?:ready to die|want to die tonight|decided to die|made my mind up|"
        r"mind is made up|decision is made)",
        context="si",
    ),
    Rule(
        SP,
        U,
        r"(?:decided|going to|ready to|waiting to) (?:do it|go through with it)(?! for)",
        context="si",
    ),
    Rule(
        SP,
        U,
        r"(?:plan|the means|means to do it|how and when|when and how) and (?:the means|when|how)",
    ),
    Rule(
        SP, U, r"(?:just need|just got|need) to (?:pick|choose|decide) (?:the|a) (?:day|date|time)"
    ),
    Rule(
        SP,
        U,
        r"(?:waiting for|until) (?:the house|everyone|every one|the flat|them) (?:to be|is|are|to go) "
        r"(?:empty|away|out|asleep)",
        context="si_or_means",
    ),
    Rule(SP, U, r"(?:kill <MYSELF>|<END>|do it|suicide) (?:if|when|unless) (?:she|he|they|it|i)\b"),
    Rule(
        SP,
        U,
        r"(?:cant|cannot|can not|unable to|dont think i can|not sure i can|dont know if i can|"
        r"struggling to|dont know how to|not able to) (?:keep|stay) (?:myself |me )?safe",
    ),
    Rule(SP, U, r"(?:dont|do not|never) feel safe (?:with|from|around) (?:myself|me)"),
    Rule(
        SP,
        U,
        r"attempted (?:last night|yesterday|today|this morning|this week|again|on \w+day|"
        r"at the weekend)|(?:attempt|tried|attempted) <W3>(?:didnt|did not) work",
    ),
    # ---------------------------------------------------------- ideation
    # Round 10 (train9): "shed be better off with a mum who isnt me", "hoping i dont come round
    # after the op", "id be glad if i didnt wake up"
    Rule(SI, H, r"better off with (?:a|another|someone|somebody|a different) (?:\w+ )?(?:who isnt|that isnt|other than|else but) me"),
    Rule(SI, M, r"(?:hope|hoping|wish|pray\w*) (?:\w+ ){0,3}(?:dont|do not|never|wont) (?:come round|wake up) (?:after|from) "
         r"(?:the|my) (?:op|operation|surgery|anaesthetic)"),
    Rule(SI, M, r"(?:id be|id|i would be|i would|id feel) (?:\w+ )?(?:glad|happy|fine|relieved|ok|okay) if i (?:didnt|did not|never|dont) wake up"
         r"(?! (?:till|until|before|for|early|in time))"),
    # Round 10 (from out-of-fold misses, in-sample for these rules): death wished as a relief
    Rule(SI, H, r"(?<!his )(?<!her )(?<!their )(?<!s )(?:death|dying|being dead|not existing|not being here) "
         r"(?:sounds|seems|feels|would be|looks) "
         r"(?:so |really |quite |pretty )?(?:peaceful|nice|good|appealing|like (?:a )?relief|tempting|easier|better)"),
    Rule(SI, H, r"if i (?:died|was dead|were dead|didnt wake up|got hit by (?:a|the) (?:bus|car|train|lorry)|got cancer)"
         r" (?:\w+ ){0,3}(?:it would|itd|that would|thatd) (?:be )?(?:a )?(?:relief|fine|ok|okay|good|for the best|easier)"
         r"|(?:id|i would|i wouldnt|id not) (?:not )?mind if i (?:died|didnt wake up|got hit by (?:a|the) \w+|got cancer"
         r"|wasnt here|went (?:in my sleep|tonight))"),
    Rule(SI, H, r"<WANT> (?:just )?(?:go to sleep|sleep|fall asleep) and (?:stay asleep (?:forever|for good|for ever)"
         r"|not wake|never wake)"),
    # identifying with someone's suicide ("my friend killed herself last year, i get why she did it")
    Rule(SI, M, r"(?:killed (?:herself|himself|themselves)|took (?:her|his|their) (?:own )?life|suicide|hanged (?:herself"
         r"|himself|themselves))(?: \S+){0,20} (?:i (?:totally |honestly |kind of |completely )?(?:get|understand) why"
         r" (?:she|he|they) did (?:it|that)(?! (?:that|this) way)|(?:she|he|they) had the right idea)",
         subject=False, history=False),
    # Round 10: an old attempt wished complete ("i tried in 2015 and lately i keep thinking i
    # should have finished the job"), and a crash hoped for ("part of me hoped it would go down").
    Rule(SI, H, r"(?:should|shouldve|wish i) (?:have |of |ve |had )?finished (?:the job|myself off)"
         r"|(?:wish|wished|wishing) (?:it|that|the overdose|the attempt) had (?:worked|succeeded)"),
    Rule(SI, H, r"(?:should|shouldve|wish i) (?:have |of |ve |had )?(?:done it|gone through with it)", scope="sentence",
         also=(r"tried in (?:19|20)\d\d|tried (?:to )?(?:kill|end|hang|overdose|jump)|attempt\w*|overdose\w*|took an overdose",)),
    Rule(SI, M, r"part of me (?:\w+ )?(?:hoped|hopes|hoping|wished|wishes|wanted|wants) <W3>(?:would|will|had|to|might) "
         r"(?:go down|crash|come down|not land|fall out of the sky|hit us|hit me)"),
    Rule(
        SI,
        H,
        r"<PLACE> <W8>(?:thinking about (?:it|jumping|doing it)|want to jump|wanting to jump|"
        r"urge to jump|wanted to jump)",
    ),
    Rule(
        SI,
        H,
        r"(?:brain|head|mind|voice|voices|thoughts|something) <W3>(?:telling|tells|tell|saying|"
        r"says|say|keep saying) (?:me )?<W3>(?:to )?(?:kill <MYSELF>|<END>|die|end it|jump|do it|"
        r"walk into|step in front)",
    ),
    Rule(
        SI,
        H,
        r"(?:wish|hope|hoping|pray|praying) <W3>(?:would|will|could|might) (?:hit|kill|run over|"
        r"crash into) me|(?:wish|hope|hoping|pray|praying) (?:that )?(?:i|id) (?:get|got|would get|"
        r"will get) (?:hit|run over|killed|cancer)",
    ),
    Rule(
        SI,
        H,
        r"(?:its|it is|feels like its|maybe its) time (?:to|for me to) (?:end it|go|say goodbye|"
        r"<END>)",
    ),
    Rule(
        SI,
        H,
        r"(?:picture|picturing|pictured|imagine|imagining|see|seeing|visuali[sz]\w*) "
        r"(?:myself|me) (?:hanging|dead|jumping|falling|in a coffin|at my (?:own )?funeral|lying dead|"
        r"with a rope|overdosing)",
    ),
    Rule(
        SI,
        H,
        r"(?:scared|afraid|worried|frightened|terrified) (?:of )?what i (?:might|could|will|would|"
        r"am going to|may) do (?:to myself|tonight|if)",
    ),
    Rule(
        SI,
        H,
        r"(?:guts|courage|nerve|balls|bottle|strength) to (?:end it|<END>|kill <MYSELF>|"
        r"do it|go through with it)",
        context="si",
    ),
    Rule(
        SI,
        H,
        r"(?:no one|nobody|noone) (?:cares|would care|will care|gives a \w+|even cares) "
        r"(?:if|whether) (?:i|im) (?:live|die|lived|died|dead|alive|here)",
    ),
    Rule(SI, M, r"(?:dont|do not) care (?:if|whether) i (?:live|die|wake|lived|died)"),
    Rule(SI, M, r"(?:cant|dont|cannot) see (?:a|any) way out"),
    Rule(
        SI,
        M,
        r"(?:im|i am|feel like|felt like|feeling like) (?:a |such a |just a |nothing but a )?"
        r"burden (?:to|on|for) (?:everyone|my family|them|people|my \w+|everybody|all of them)",
    ),
    Rule(
        SI,
        H,
        r"(?:done|finished) with (?:life|living|everything|it all|this life|being alive|this world)"
        r"(?= \.| ,|$| now| tbh| honestly)",
    ),
    Rule(SI, H, r"(?:kill|killing|killed) <MYSELF>"),
    Rule(
        SI,
        H,
        r"<WANT> <W2>(?:die|dying|<END>|<ENDING>|be dead|"
        r"not wake up|never wake up|go to sleep forever|sleep forever|disappear forever|"
        r"disappear for good|not be alive|not be around|fall asleep for good|fall asleep forever|sleep for good)",
    ),
    Rule(
        SI,
        H,
        r"<THINK> <W2>(?:<END>|<ENDING>|suicide|be dead|"
        r"not wake up|never wake up|go to sleep forever|sleep forever|disappear forever|"
        r"disappear for good|not be alive|not be around)",
    ),
    Rule(SI, H, r"(?:want|wanna|wanted|wanting|wish|wishing)(?: to)? <W2>(?:die|be dead|dead)\b"),
    Rule(
        SI,
        H,
        r"wish (?:i|id|i had|i was|i were|that i) <W3>(?:dead|die|died|never been born|"
        r"not born|not wake|go to sleep and|gone|not here|never existed|not exist|disappear"
        r"|fall asleep for good|fall asleep forever|sleep for good|fall asleep and (?:not|never))",
    ),
    # Round 9: not waking up, wished for without a "want": "going to sleep and not waking up
    # sounds really nice rn" (a fear of it, "worried i'll go to sleep and not wake up", is not).
    Rule(
        SI,
        M,
        r"(?:going to sleep|falling asleep|to sleep|sleeping) and (?:not|never) (?:waking|wake) up (?:\w+ ){0,2}"
        r"(?:sounds|sound|would be|seems|feels) (?:so |really |quite |pretty )?(?:nice|good|peaceful|lovely|appealing"
        r"|tempting|bliss|amazing|better|like (?:a )?relief)",
    ),
    Rule(
        SI,
        H,
        r"(?:hope|hoping|pray|praying) <W3>(?:that )?(?:i|id|i will|i dont|i wont) "
        r"<W3>(?:wake up|dont wake|wont wake|die|dead|not wake|never wake|hit by)",
    ),
    Rule(SI, H, r"(?:go to sleep|fall asleep|sleep) (?:and|an) (?:not|never) wake up"),
    Rule(
        SI,
        H,
        r"(?:better off|happier|better|easier|fine) <W2>(?:without me|if i (?:was|were|wasnt|werent|"
        r"was not|were not|died|had died|wasnt here|left|disappeared|was gone|were gone|am gone|"
        r"didnt exist|never existed)|when im gone|with me gone|with me dead)",
    ),
    # Round 8: a screening item on death or self-harm answered above 0, told in words
    # ("question 9 i put a 3 because i do think about it every day"). PHQ-9 item 9 above 0
    # is itself a risk signal; 2 or 3 is urgent, as in clinical.risk.screen_phq9_item9.
    # The answer is told of the item itself, within a few words of it and no other clause
    # between (review): "item 9 was 0 again, question 2 was 3" is about question 2.
    Rule(SI, U, r"(?:<ITEM9> (?:[-:,] )?(?:<W8>(?:, i )?<ITEMSAID> |(?=\d))<ITEMSCOREHI>|<ITEMSAID> <ITEMSCOREHI> <W5><ITEM9>)"),
    Rule(SI, H, r"(?:<ITEM9> (?:[-:,] )?(?:<W8>(?:, i )?<ITEMSAID> |(?=\d))<ITEMSCORELO>|<ITEMSAID> <ITEMSCORELO> <W5><ITEM9>)"),
    # "rather die than do karaoke" is a figure of speech (round 10); "rather die than go on like this" is not.
    Rule(SI, H, r"(?:better|best) off dead|rather be dead|be better dead|rather die(?! <TRIVIALTHAN>)"),
    # Envying the dead (round 8 review): "i envy people who die in accidents"
    Rule(SI, H, r"(?:envy|envied|jealous of) (?:people|those|anyone|someone|the ones|folk) (?:who|that) (?:\w+ )?"
         r"(?:die|died|dies|pass away|passed away|dont wake up|didnt wake up|get to die|get to go)", jokes=False,
         veto=r"films?|movies?|books?|novels?|songs?|stories|story|characters?|shows?|tv"),
    Rule(
        SI,
        H,
        r"(?:no|any|nothing|dont see|cant see|whats the|what is the|whats|what is) "
        r"(?:the |a |any )?(?:point|reason|reasons|purpose) <W2>(?:being here|being alive|living|"
        r"life|to live|me being here|(?:in|of) me (?:being here|being alive|living|existing|"
        r"carrying on|staying|going on)|existing|going on|carrying on|staying alive|stay alive|"
        r"to stay|to be here|to keep going|to keep living)",
    ),
    Rule(SI, H, r"(?:nothing|no one|nobody) (?:left )?(?:to|worth) (?:live|living) for"),
    Rule(
        SI,
        H,
        r"(?:dont|do not|dnt|never) (?:want|wanna) (?:to )?(?:be alive|live|be here|exist|"
        r"wake up|be on this earth|be in this world|be around|carry on living|keep living|go on living)"
        r"(?! (?:at|in|with|there|near|on|for|if|when|without|alone|here|like that|this \w+))",
    ),
    Rule(
        SI,
        H,
        r"(?:life|living|my life) (?:is not|isnt|aint|is no longer|not|doesnt feel|dont feel) "
        r"(?:worth|worth it|worth living)",
    ),
    Rule(SI, H, r"(?:not|isnt|no longer) worth living"),
    Rule(
        SI,
        H,
        r"(?:no one|nobody|noone|none of them|anyone|no body) (?:would|will|wud|gonna|going to|"
        r"even)? ?(?:even )?(?:care|notice|miss me|mind|be sad|cry) <W3>(?:if|when) "
        r"(?:i|im) <W2>(?:died|dead|gone|wasnt here|disappeared|killed myself|was gone|not here|"
        r"didnt exist|ended it)",
    ),
    Rule(SI, H, r"(?:no one|nobody|noone) (?:would|will|wud)? ?(?:even )?miss me"),
    Rule(
        SI,
        H,
        r"(?:wouldnt|would not|wont) (?:mind|care) (?:if i|dying|being dead|if something)"
        r" <W3>(?:died|dead|hit|killed|happened|dying|didnt wake)",
    ),
    Rule(
        SI,
        H,
        r"(?:hit by|run over by) (?:a|the) (?:bus|car|lorry|train|truck) <W5>"
        r"(?:wouldnt mind|relieved|relief|hope|wish|welcome|good thing|fine|dont care)",
    ),
    Rule(SI, H, r"(?:suicidal|suicide thoughts|suicide ideation)"),
    Rule(
        SI,
        H,
        r"(?:thoughts|thinking|ideas|urges|feelings) (?:of|about|around) "
        r"<W2>(?:suicide|ending it|ending things|killing myself|ending my life|taking my life)",
    ),
    Rule(
        SI,
        H,
        r"(?:(?:dark|bad|scary) thoughts?|thoughts?) (?:about |of )?(?:ending|end) (?:it|things|my life)",
    ),
    Rule(SI, H, r"(?:take|taking|end|ending) my (?:own )?life"),
    Rule(
        SI,
        H,
        r"(?:end|ending) it all|want it all to end|want (?:it|everything) to (?:end|stop) "
        r"(?:forever|permanently|for good)|all to end",
    ),
    Rule(
        SI,
        H,
        r"(?:only|one) way out (?:is|would be)|(?:no|only) way out (?:but|except|other than|apart from)|"
        r"see a way out (?:other than|except|apart from|but)",
    ),
    Rule(SI, H, r"(?:stop|cease to) (?:existing|exist)|never (?:been born|existed)"),
    Rule(
        SI, H, r"disappear (?:forever|for good|permanently|and never come back|and not come back)"
    ),
    Rule(SI, H, r"(?:sleep|go to sleep|sleeping) (?:forever|for ever|and never wake)"),
    Rule(SI, H, r"(?:think|thinking|thought|imagine|imagining) (?:about|of) <W3><METHOD>"),
    Rule(SI, H, r"<WANT> <W2>(?:<METHOD>|jump off|jump in front)"),
    Rule(SI, H, r"(?:feeling|feel|felt|been) like (?:ending|end) it"),
    Rule(
        SI,
        H,
        r"(?:brain|head|mind|voice|voices|thoughts|depression) (?:keeps |keep |is |are )?"
        r"(?:telling|tells|saying|says|say) (?:me )?(?:to|i should) (?:kill <MYSELF>|<END>|die|end it)",
    ),
    Rule(
        SI,
        H,
        r"(?:i|me) (?:should|could|want to|might|will) (?:do the same|join (?:him|her|them))",
        context="si",
    ),
    Rule(
        SI,
        H,
        r"(?:no one|nobody|noone) would (?:notice|care)(?: \S+){0,3} (?:gone|dead|disappeared)",
    ),
    Rule(SI, H, r"(?:tired|sick) of (?:living|being alive|life|existing|being here)"),
    Rule(
        SI,
        M,
        r"(?:cant|can not|dont think i can|unable to|cannot) (?:go on|carry on|keep going)"
        r"(?= \.| ,|$| like this(?! with| at| in| and work)| anymore| any more| much longer| living|"
        r" with (?:life|this|it)(?! \w)| for much)",
    ),
    Rule(
        SI,
        M,
        r"(?:cant|can not|cannot) (?:take|handle|cope with|bear|stand) (?:it|this|any of this|"
        r"life|much more)(?= \.| ,|$| anymore| any more| much longer| no more)",
    ),
    Rule(
        SI,
        M,
        r"(?:cant|can not|cannot) (?:do|face|cope with) (?:this|it|life|any of this)"
        r"(?: \S+)? (?:anymore|any more|much longer|no more)",
    ),
    Rule(SI, M, r"(?:cant|can not) cope(?: anymore| any more)(?= \.| ,|$)"),
    Rule(
        SI,
        M,
        r"(?:how|know how) (?:much )?longer (?:i can|i could) (?:keep going|go on|carry on|"
        r"do this|cope|keep doing this|take)",
    ),
    Rule(
        SI,
        M,
        r"(?:whats|what is|what the|whats even) (?:the )?point(?: of| in)? "
        r"(?:anything|anymore|any more|of it all|it all|trying(?! (?:with|at|for|on|to (?:get|find|make|lose|save|learn|fix|date|meet))\b)|any of it|everything|\.|,|$)",
    ),
    Rule(SI, M, r"(?:whats|what is) (?:even )?the point(?= \.| \?|$| ,)"),
    Rule(
        SI,
        M,
        r"(?:give|giving|gave) up on (?:everything|life|myself|it all)|"
        r"feel like giving up(?= \.| ,|$| on (?:everything|life|myself|it all|living|me)\b)|want to give up(?= \.| ,|$| on ev)",
    ),
    Rule(
        SI,
        M,
        r"(?:no|not any|dont have a|dont see a|cant see a) future(?: for me)?"
        r"(?= \.| ,|$| for me| anymore)",
    ),
    Rule(
        SI,
        M,
        r"nothing (?:will|is going to|is ever going to|ever) (?:ever )?(?:get|gets|getting) better",
    ),
    Rule(
        SI,
        M,
        r"(?:feel|feeling|felt|am|im) (?:utterly |totally )?hopeless(?! about| that| when| at)",
    ),
    Rule(
        SI, M, r"dont care (?:what happens to me|if i live|whether i live|if i wake|about living)"
    ),
    Rule(SI, M, r"(?:keep|carry on|go on) living like this"),
    Rule(SI, M, r"(?:do|doing) something (?:stupid|silly|drastic)(?! at| with| like)"),
    Rule(SI, M, r"(?:danger|risk) to (?:myself|my self)"),
    Rule(
        SI,
        M,
        r"(?:think|thinking|thought|thoughts) (?:about|of) (?:death|dying)(?! of| in| from)",
        unless="health",
    ),
    Rule(SI, M, r"(?:tired of fighting|want out of (?:this life|life|everything)|over it all)"),
    Rule(
        SI,
        M,
        r"(?:urges|thoughts|feelings) (?:are|have|r|came|come) (?:back|returned|coming back)",
        context="si",
    ),
    # ---------------------------------------------------------- self-harm
    # Round 10 (train9): self-harm with a time ("going to cut tonight when mums on her night shift")
    Rule(SH, U, r"(?:going to|gonna|will|ill|planning to|plan to) (?:cut|cut myself|burn myself|self harm|hurt myself) "
         r"(?:again )?(?:tonight|today|later|this evening|when (?:she|he|they|mums?|dads?|everyone|the house)\b)"
         r"(?! ,? (?:the |my )?(?:grass|lawn|hedge|hair|fringe|cake|fabric|pattern))"),
    # round 11: urges now, whatever the clean streak ("is it bad that i keep wanting to cut even
    # though ive been clean 2 years", "a picture of cuts set off all the old urges")
    Rule(SH, M, r"(?:keep|still|really|been|cant stop) (?:wanting|want) to (?:cut|burn myself|self harm|hurt myself)"
         r"(?! (?:the |my |his |her |back|down|out|off|it|them|costs?|corners?|ties|class|hair|grass|lawn|hedge)\b)"),
    Rule(SH, M, r"(?:set|sets|setting) off (?:all )?(?:the |my )?(?:old )?urges(?! to (?!cut|hurt|harm|burn))", scope="sentence",
         also=(r"cut|cuts|cutting|self harm\w*|blades?|razors?|scars?|burn\w*|hurt myself|harm myself",),
         veto=r"smok\w*|drink\w*|vap\w*|gambl\w*|betting|eat\w*|binge\w*|food|sugar|chocolate|shop\w*|spend\w*|check\w*|"
         r"wash\w*|porn|cigs?|cigarettes?|purg\w*|pick\w*"),
    # Round 10 (train9): an "accident" in scare quotes is not one
    Rule(SH, H, r'" (?:accidentally|by accident) " (?:\w+ ){0,2}(?:burn\w*|cut\w*|scald\w*|hurt\w*|scratch\w*)'),
    # Round 10 (train9): the blade taken out of a sharpener
    Rule(SH, H, r"sharpener (?:is )?(?:missing|without) (?:its|the) blade|(?:took|taken|popped|got|get|getting|prised) the blades? "
         r"out of (?:a |my |the )?(?:pencil )?sharpeners?"),
    # Round 10 (from out-of-fold misses, in-sample for these rules)
    Rule(SH, H, r"(?:burn|burnt|burned|cut|scratch\w*|scald\w*|slam\w*|bang\w*|hit|punch\w*) (?:my|myself)(?: \w+){0,6}"
         r" when (?:it gets too much|it all gets too much|things get (?:too much|bad|too hard)|i hate myself"
         r"|i feel (?:numb|nothing|overwhelmed|empty)|im (?:angry at|disgusted with) myself)"),
    Rule(SH, H, r"(?:fresh|new) (?:cuts|scratches|burns|marks) (?:\w+ ){0,3}(?:i did|i made|from me|ive done)"
         r"|(?:cuts|scratches|burns) (?:that )?i (?:did|made|gave myself)|my cuts (?:are|keep) getting (?:deeper|worse|bigger)"
         r"|plasters (?:\S+ ){0,4}the cuts (?:are|keep) getting (?:deeper|worse|bigger)"),
    Rule(SH, H, r"(?:arms?|legs?|thighs?|wrists?) (?:look|looks|looking) like a barcode|barcode (?:arms?|legs?|thighs?)"),
    Rule(SH, H, r"(?:used|using|use) (?:it|the blade|them) (?:\w+ ){0,2}(?:twice|again|three times|\d+ times|every night|last night"
         r"|this week)", scope="message", also=(r"blades?|sharpener",)),
    # Round 10: back to the blade, named by the tool alone ("i did go back to the razor a couple
    # of times this week"), and laxatives taken to punish ("loads of laxatives when i hate myself").
    Rule(SH, H, r"(?:relapsed|slipped up|broke (?:my|the) streak) (?:(?!but |now |and |since |then )\w+ ){0,6}(?:clean|free) (?:from|of) "
         r"(?:cutting|self harm|self harming|burning|hurting myself)"),
    Rule(SH, H, r"(?:went|gone|go|going|been going|got|getting|slipped) back to (?:the |my )?(?:razor|razors|blade|blades"
         r"|sharpener|lighter)(?! (?:for|to shave|shaving|aisle))", act=True),
    Rule(SH, H, r"(?:laxatives|laxies|diuretics|diet pills)", scope="sentence",
         also=(r"hate myself|hating myself|punish\w*|(?:way |much |a lot )?more than (?:the|it|youre|you) (?:packet|box|label|says|should)"
               r"|(?:a )?whole (?:box|packet|pack)|handfuls",)),
    Rule(
        SH,
        U,
        r"(?:cut|cuts|cutting|wound|wounds|bleeding|blood) <W5>(?:too deep|wont stop bleeding|"
        r"will not stop bleeding|cant stop the bleeding|keeps bleeding|need stitches|needs stitches|"
        r"lot of blood|loads of blood|so much blood|gaping|to the bone)",
    ),
    Rule(
        SH,
        U,
        r"(?:need|needs|needed) stitches|(?:wont|will not|cant) stop (?:the )?bleeding|"
        r"(?:a lot|loads|lots|so much|tons) of blood|gone white|skin (?:is|has) gone",
        context="sh",
    ),
    Rule(SH, H, r"self (?:harmed|harming|harms|harmer|injured|injuring|injury|injure)", act=True),
    Rule(
        SH,
        H,
        r"self harm (?:again|last night|yesterday|today|this week|this morning|tonight|"
        r"on \w+day|every day|most days|every night|most nights)",
    ),
    Rule(
        SH,
        H,
        r"(?:did|done|doing|relapsed on|relapsed with|relapse|back to|started|start) (?:the |some )?self harm",
    ),
    Rule(
        SH,
        H,
        r"(?:cut|cuts|cutting|burnt|burned|burn|burning|burns|scratched|scratching|scratch|"
        r"bit|bite|biting|bites|hit|hitting|hits|punched|punching|punch|harmed|harming|harm|"
        r"hurt|hurting|hurts|injured|injuring|bruised|bruising|scarred|scarring|starving|starved|"
        r"strangled|choked|choking|suffocated) <MYSELF>",
        act=True,
    ),
    Rule(
        SH,
        H,
        r"(?:cut|cutting|cuts|slashed|slashing|sliced|slicing|scratched|scratching|carved|"
        r"carving|burned|burnt|burning) (?:up |into )?(?:my |both )?"
        r"(?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|belly|hip|hips|body|"
        r"chest|ankles?|forearm|forearms|shoulder)"
        r"(?! (?:on|with|while|when|shaving|chopping|cooking|at|by|climbing|playing|during|in the))",
        act=True,
    ),
    # Round 9: "with" excuses a kitchen accident, not the tools of self-harm ("burned my wrist
    # with a lighter").
    Rule(
        SH,
        H,
        r"(?:cut|cutting|slashed|slashing|sliced|scratched|scratching|carved|carving|burned|burnt|burning)"
        r" (?:into )?(?:my |both )?(?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|hip|hips|forearm|forearms)"
        r" with (?:a |my |the |an )?(?:lighter|razor|razor blade|blade|compass|cigarette|match|matches|sharpener"
        r"|pencil sharpener blade)(?! (?:while |when |whilst )?(?:shaving|cooking|chopping|by accident|accidentally))",
        act=True,
    ),
    Rule(
        SH,
        H,
        r"(?:been|started|keep|kept|still|relapsed|back to) (?:cutting|burning|self harming)"
        r"<CUTNOT>",
        act=True,
    ),
    Rule(
        SH,
        H,
        r"(?:cutting|cut|burning) (?:again|last night|yesterday|every night|every day|"
        r"most nights|most days)",
        act=True,
    ),
    Rule(
        SH, H, r"(?:im|i|ive|i have|i am) (?:cut|cutting|cuts)(?= \.| ,|$| again| last| yesterday)"
    ),
    Rule(
        SH,
        H,
        r"(?:only thing|thing) that (?:helps|works|stops it) is (?:cutting|hurting myself|self harm)",
    ),
    Rule(
        SH,
        H,
        r"(?:covered in|fresh|new|hiding (?:my )?) ?(?:cuts|scars|burns|wounds)"
        r"(?! on (?:my )?(?:hands|fingers) from)",
    ),
    Rule(
        SH,
        H,
        r"(?:head|fist|fists) (?:against|into|on|off) (?:the |a )?(?:wall|floor|door)",
        act=True,
    ),
    Rule(
        SH,
        H,
        r"(?:voice|voices|brain|head|something) <W3>(?:telling|tells|tell|saying|says|say) "
        r"(?:me )?(?:to )?(?:hurt|harm|cut|burn|punish) <MYSELF>",
    ),
    Rule(
        SH,
        H,
        r"(?:on purpose|deliberately|to punish myself|as (?:a )?punishment|to feel something|"
        r"wanted it to hurt|so it would hurt|until (?:it|they|my \w+) (?:bled|bleeds|bleed|hurts|hurt)|"
        r"until they bleed|til it bled)",
    ),
    Rule(
        SH,
        H,
        r"(?:relapsed|relapse|did it again|i did)(?= \.| ,|$| again| last| yesterday| this| on)",
        context="sh",
        history=False,
    ),
    Rule(SH, H, r"(?:(?:a )?few|some|extra) <DRUG>(?: \S+){0,3} to hurt myself"),
    Rule(
        SH,
        M,
        r"(?:<WANT>|<THINK>|urges? to|urge for|tempted by) <W2>(?:self harm|"
        r"cutting(?= \.| ,|$| again| tonight| myself)|cut(?= \.| ,|$| again| tonight| myself)|"
        r"hurt <MYSELF>|hurting <MYSELF>|harm <MYSELF>|harming <MYSELF>|cut <MYSELF>|"
        r"cutting <MYSELF>|burn <MYSELF>|burning <MYSELF>|punish <MYSELF>|hit <MYSELF>|"
        r"hitting <MYSELF>|self harming)",
    ),
    Rule(
        SH,
        M,
        r"self harm (?:urges|thoughts|feelings)|urges (?:are|r) (?:back|strong|bad)|"
        r"(?:urge|urges) (?:is|are)? ?(?:really )?(?:strong|bad|overwhelming)",
        context="sh",
    ),
    Rule(SH, M, r"self harm", veto=r"(?:i )?see (?:\w+ ){0,2}self harm|every shift|on the ward|book club|novel"),
    Rule(
        SH,
        M,
        r"(?:razor|razors|blades|blade|sharpener) <W5>(?:hid|hidden|know where|have|got|kept|"
        r"bought|keep|in my room|in my drawer|under my bed)",
        context="sh_or_si",
    ),
    Rule(
        SH,
        M,
        r"(?:hid|hidden|bought|got|have|kept|keep|keeping|buying|ordered) (?:the |my |some |a )?"
        r"<W2>(?:razor blades|razor blade|razors|blades|blade)",
    ),
    Rule(SH, M, r"(?:deserve|deserves) (?:to be punished|to hurt|pain|to suffer|to feel pain)"),
    # ---------------------------------------------------------- harm to others
    # Round 10 (from out-of-fold misses): following someone home, running them off the road,
    # a punch that just missed a partner's head
    Rule(HO, H, r"(?:started |been |keep |kept )?following (?:my exs|my ex|her|him|them) (?:\w+ ){0,3}(?:home"
         r"|(?:out )?to (?:the|his|her|their) (?:car|car park|house|flat|door))", subject=False),
    Rule(HO, H, r"<WANT> run (?:him|her|them|my \w+(?: \w+){0,2}|his \w+|her \w+) off the road"),
    Rule(HO, H, r"punched (?:the |a )?(?:wall|door) (?:right )?(?:next to|beside|by) (?:her|his|their|my \w+s?) (?:head|face)"),
    # Round 10: an urge to throw something at a person ("had a real urge to throw my coffee at
    # the woman in the queue"), not at a wall or a telly.
    Rule(HO, M, r"(?:urge|urges|wanted|want|tempted|itching|close|came close) to (?:(?:throw|lob|chuck|hurl) (?:\w+ ){0,3}at"
         r"|slap|hit|punch|smack|thump|whack|headbutt|throttle|strangle) "
         r"(?:him|her|them|someone|somebody|people|(?:the|a|this|that) (?:woman|man|guy|lady|bloke|kid|driver|cashier"
         r"|customer|person|colleague|girl|boy|lad)|my (?:boss|partner|husband|wife|son|daughter|mum|dad|colleague|manager"
         r"|brother|sister|flatmate|boyfriend|girlfriend))"),
    Rule(
        HO,
        U,
        r"(?:<INTENT>|want to|wanna) <W2>(?:<HARMV>) <W2><OBJ> <W5>"
        r"(?:<WHEN>|with (?:a|my|the) (?:knife|gun|bat|hammer|blade|weapon))",
    ),
    Rule(
        HO,
        U,
        r"(?:got|have|bought|taking|carrying|ive got|holding) (?:a |my |the )?"
        r"(?:knife|gun|bat|hammer|blade|weapon|machete) <W5>(?:going|go|round|over|to his|get what|"
        r"to her|to their|what he|what she|what they|get him|get her|use it on (?:him|her|them))",
    ),
    Rule(
        HO,
        U,
        r"(?:outside|at|near) (?:his|her|their) (?:house|flat|work|door|place|school)"
        r"<W3>(?:now|right now) <W5>(?:hurt|kill|get|stab|batter|smash)",
    ),
    Rule(
        HO,
        U,
        r"(?:shoot|stab|bomb|attack|kill) (?:the lot of them|everyone|them all|all of them|"
        r"people) <W3>(?:at|in) (?:work|school|college|uni|the office)",
    ),
    Rule(
        HO,
        H,
        r"(?:<INTENT>|want to|wanna|wanted to|i swear im going to|swear i will|"
        r"im going to|i will|ill) <W2>(?:<HARMV>) <W2><OBJ>"
        r"(?! (?:for|when (?:i see|she sees|he sees|they see)|at (?:cards|chess|pool|darts|tennis|"
        r"squash|football|this|that|the game)|in (?:a|the) (?:race|game|match|quiz)))",
        # round 10: a household grievance, not a threat ("im going to kill my brother if he eats
        # my yoghurt again"); "if he touches her again" or "if she leaves me" stay threats
        veto=r"if (?:he|she|they|you) (?:\w+ )?(?:eats?|finish(?:es)?|borrows?|nicks?|drinks?|forgets?|spoils?"
        r"|wakes? (?:me|us|the baby) up|(?:uses?|moves?|breaks?|dents?|scratch(?:es)?|eats?) (?:my|our)"
        r"|plays? (?:that|this) (?:song|album|game))",
    ),
    Rule(
        HO,
        H,
        r"(?:make|making) (?:him|her|them) pay|(?:get|gets|getting) what (?:he|she|they) "
        r"(?:deserves?|has coming)|deserves? what(?:s| is) coming|(?:is|are) going to get hurt",
        subject=False,
    ),
    Rule(
        HO,
        H,
        r"<INTENT> <W2>(?:burn|torch|set fire to|petrol bomb) (?:his|her|their|the) "
        r"(?:car|house|flat|place|home|shop)",
    ),
    Rule(
        HO,
        H,
        r"(?:followed|following|stalking|watching) (?:him|her|them) (?:home|to work|"
        r"from work|every day|at night)",
    ),
    Rule(
        HO,
        H,
        r"(?:threatened|threaten|threatening) (?:my|him|her|them|a|the|someone) "
        r"<W3>(?:with a|with my|knife|gun|bat)",
    ),
    Rule(HO, H, r"(?:know|found out) where (?:he|she|they) (?:lives?|works?|live)", context="harm"),
    Rule(
        HO,
        H,
        r"(?:nearly|almost) (?:hit|punched|attacked|stabbed|strangled|hurt|killed) "
        r"(?:a|someone|somebody|him|her|them|my|this|the)",
    ),
    Rule(HO, H, r"(?:smash|kick|punch) (?:his|her|their) (?:face|head|teeth) in"),
    Rule(
        HO,
        M,
        r"(?:could|might|want to|feel like i could|feel like|scared i will|scared im going to|"
        r"scared ill|scared i might|afraid i will|afraid ill|worried ill|worried i will|"
        r"worried i might|going to|i could|i will|ill|wanna|wanted to|<INTENT>) <W2>(?:<HARMV>) "
        r"<ANYONE>",
    ),
    Rule(
        HO,
        H,
        r"(?:imagining|imagine|thinking about|thoughts of|thoughts about|fantasi[sz]ing about) "
        r"(?:hurting|killing|attacking|harming|stabbing|strangling) <W2><OBJ> <W5>"
        r"(?:might|going to|will|could|ill) (?:do it|act on it|actually)",
        subject=False,
    ),
    Rule(
        HO,
        M,
        r"(?:thoughts|fantasies|images|thinking|think|thought|imagining|imagine) "
        r"(?:about |of )?(?:hurting|killing|attacking|harming|stabbing) "
        r"(?:people|someone|somebody|others|him|her|them|my \w+|other people)",
        scope="message",
        veto=r"(?:(?<!not )(?<!not the )(?<!isnt )(?<!isnt the )(?<!not my )(?<!like my )ocd|intrusive|would never act|wouldnt act|never act on|wont act|horrif\w*|terrif\w*|hate them"
        r"|repuls\w*|disgust\w*|makes? me (?:feel )?sick)",  # round 11: "they repulse me"  # unwanted intrusive thoughts (OCD), not intent
    ),
    # round 11: thoughts owned, not OCD ("these arent the ocd thoughts, these are real angry thoughts
    # about hurting my stepmum"), enjoyed ("a thought about running him over and i didnt hate it"),
    # wished ("id like to smack him in the car park"), feared in oneself ("so angry i scare myself")
    Rule(
        HO,
        M,
        r"(?:arent|are not|not|isnt|is not) (?:the |my )?(?:ocd|intrusive)(?: \w+)?(?: ,| \.)? (?:\w+ ){0,3}"
        r"(?:real|actual|proper|genuine) (?:\w+ )?(?:thoughts?|urges?|feelings?) (?:about|of) "
        r"(?:hurting|killing|attacking|harming|stabbing|hitting|smacking|punching)",
        negation=False,
        subject=False,
    ),
    Rule(
        HO,
        M,
        r"(?:thought|thoughts|image|images|urge|urges|fantasy|fantasies) (?:about|of) (?:running|hitting|stabbing|hurting|"
        r"killing|pushing|smacking|punching) (?:him|her|them|my \w+)(?: \w+){0,6} (?:and )?i (?:didnt hate it|liked it|"
        r"enjoyed it|didnt mind|wasnt bothered|wasnt even bothered|didnt feel bad)",
        negation=False,
        subject=False,
    ),
    Rule(
        HO,
        M,
        r"(?:id like to|id love to|i would like to|i would love to) (?:smack|punch|hit|deck|batter|thump|slap|kick|stab|hurt|"
        r"strangle|throttle|glass) (?:him|her|them|that (?:man|woman|bloke|guy|lad|girl|kid|idiot|prick|twat|cow|bitch)|"
        r"my (?:ex|partner|husband|wife|boyfriend|girlfriend|boss|manager|brother|sister|dad|mum|mother|father|son|"
        r"daughter|neighbour|flatmate|housemate|colleague|stepdad|stepmum|landlord|cousin|uncle|aunt))",
        veto=r"ball|gym|road|hay|sack|books|button|snooze|target|jackpot|shops|pub|beach|bottle|wall|pillow|punch ?bag|bag|"
        r"the brakes|pause|the news|the big time|the high notes?",
    ),
    Rule(HO, M, r"(?:so|that) angry (?:that )?i (?:scare|scared|frighten|frightened) myself", negation=False),
    Rule(HO, M, r"violent (?:thoughts|fantasies|urges|images)", scope="message", veto=r"(?:(?<!not )(?<!not the )(?<!isnt )(?<!isnt the )(?<!not my )(?<!like my )ocd|intrusive|would never act|wouldnt act|never act on|wont act|horrif\w*|terrif\w*|hate them)"),
    Rule(
        HO,
        M,
        r"(?:i|ive|i have) <W5>(?:and )?(?:pushed|shoved|punched|hit|slapped|attacked|grabbed|headbutted|"
        r"kicked|bit) (?:my|a|the|this|that) (?:flatmate|housemate|partner|husband|wife|"
        r"boyfriend|girlfriend|colleague|neighbour|brother|sister|mum|dad|friend|man|woman|"
        r"guy|bloke|stranger|someone|coworker)",
    ),
    # ---------------------------------------------------------- safeguarding: child
    # Round 10 (train9): nappies rationed, a child kept off school for months
    Rule(SC, H, r"stretching (?:the |her |his )?(?:babys |baby )?nappies"),
    Rule(SC, H, r"(?:havent|have not|not|hasnt) (?:sent|taken) (?:him|her|them|\w+) (?:to|into) school (?:since|for) "
         r"(?:\w+ )?(?:january|february|march|april|may|june|july|september|october|november|december|weeks|months|christmas"
         r"|half term|easter|the summer)"),
    # Round 10 (from out-of-fold misses): secrecy asked of a child, children left alone for days
    Rule(SC, H, r"tells? (?:him|her|them) not to (?:tell|mention) (?:it )?(?:to )?(?:us|anyone|me|his mum|her mum|their parents|mum|dad)",
         scope="sentence", also=(r"coach|teacher|tutor|leader|uncle|stepdad|step dad|neighbour|man|instructor|priest|babysitter"
                                 r"|boyfriend|lodger",)),
    Rule(SC, H, r"(?:gave|given|bought) (?:her|him) (?:a|her|his) (?:own )?phone so (?:they|he|she) can talk (?:privately|in secret)"),
    Rule(SC, H, r"(?:kids|children|child|baby|toddler|little ones?|boys|girls) (?:\w+ ){0,4}(?:left|leaves?) (?:home )?alone for "
         r"(?:days|the (?:whole )?(?:night|weekend)|\w+ days|overnight)"),
    # Round 10: a child under 18 staying with a grown man ("my 16 yr old is staying at a
    # 'friends' but its a man in his 30s"), and a thrown object that hurt a child.
    Rule(SC, H, r"(?:1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen) (?:yr|yrs|year|years|y) (?:olds?|o) (?:[^ .?!]+ ){0,10}"
         r"(?:(?:staying|stays|stayed|sleeping|sleeps|slept|seeing|dating|going out|meeting|meets|met up|living|lives"
         r"|moved in|in love|messaging|stopping) (?:[^ .?!]+ ){0,8}(?:man|guy|bloke|fella|lad)|boyfriend|bf)"
         r" (?:in his|whos|who is|of|aged|is) (?:2\d|3\d|4\d|5\d|20s|30s|40s|50s|twenties|thirties|forties|fifties"
         r"|late twenties)"),
    Rule(SC, H, r"(?:threw|thrown|throws|throwing|chucked|lobbed|hurled) (?:a |the |his |her |their |my )?<THROWN> at "
         r"(?:my|our|the|his|her) (?:eldest|youngest|son|daughter|kid|kids|child|children|boy|girl|baby|little one|toddler)"),
    Rule(SC, U, r"(?:shook|shaken|shaking|shake) (?:the|my|our) (?:baby|newborn|toddler)"),
    Rule(
        SC,
        U,
        r"(?:threatened|threatening|threatens|says hell|said hed|said he will|says he will|"
        r"will|going to) (?:to )?(?:kill|hurt|take) (?:the|my|our) (?:kids|children|baby|son|daughter)",
    ),
    Rule(
        SC,
        U,
        r"<PERP> <W3>(?:<HITME>|<CHOKE>) <W2>(?:the|my|our|his|her) <CHILD> "
        r"<W3>(?:right now|now)",
    ),
    Rule(
        SC,
        U,
        r"(?:left|leaving|leave) (?:my|the|our) (?:\d+ year old|\d+ yr old|baby|toddler|"
        r"kids|children|son|daughter|little one) (?:home |at home |in the house |in the car )?"
        r"(?:alone|on (?:their|his|her) own|by (?:themselves|himself|herself))",
    ),
    Rule(
        SC,
        H,
        r"<PERP> <W3>(?:<HITME>|<CHOKE>|hurts|abuses|abused|touches|touching|touched|"
        r"molested|molests|starves|throws things at|shouts at|screams at) <W2>"
        r"(?:the|my|our|his|her|their) <CHILD>",
    ),
    Rule(
        SC,
        H,
        r"(?:his|her|their|the kids|the childrens|my kids|my sons|my daughters) "
        r"(?:dad|father|mum|mother|stepdad|step dad|stepmum|uncle|grandad|boyfriend|girlfriend|"
        r"partner) <W2>(?:<HITME>|hurts|abuses|touches|touching|touched) (?:him|her|them)",
    ),
    Rule(
        SC,
        H,
        r"(?:i|ive|i have) (?:hit|smacked|slapped|hurt|grabbed|kicked|punched|pushed|shook|"
        r"beat|thrown|threw|burned) (?:my|the|our) <CHILD>",
    ),
    Rule(
        SC,
        H,
        r"(?:groomed|grooming|sexual (?:stuff|messages|pictures|photos|abuse|things)|"
        r"sexually abused|sexually abusing|molested|molesting|inappropriate (?:messages|photos|touching))",
        context="child",
    ),
    Rule(
        SC,
        H,
        r"(?:touching|touches|touched|interfering with) (?:my |our |the )?(?:(?:little|baby|younger) "
        r"(?:sister|brother)|daughter|son|niece|nephew|kids|child|children|grandson|granddaughter)",
    ),
    Rule(
        SC,
        H,
        r"(?:made to|forced to|making him|making her|makes him|makes her) "
        r"(?:sell|carry|run|deliver) (?:drugs|stuff|packages)|county lines",
    ),
    Rule(
        SC,
        H,
        r"(?:kids|children|baby|son|daughter|they) (?:havent|hasnt|have not|has not|"
        r"not|dont|didnt) (?:eaten|had (?:any )?(?:food|a meal|anything to eat)) <W3>"
        r"(?:days|properly|since|for)",
    ),
    Rule(
        SC, H, r"(?:going|go|goes|sent) to school (?:dirty|hungry|without (?:food|breakfast|lunch))"
    ),
    Rule(SC, H, r"locks? (?:the|my|our) (?:kids|children|son|daughter|baby) in"),
    Rule(
        SC,
        H,
        r"(?:baby|son|daughter|toddler|child|kid) has (?:a |got )?(?:bruise|bruises|burn|"
        r"marks|black eye)(?! from (?:football|falling|school|nursery|playing))",
    ),
    Rule(
        SC,
        H,
        r"(?:smacks|hits|beats) <W2>(?:the |my |our )?(?:kids|children|son|daughter)"
        r" <W5>(?:marks|bruises|hard|belt)",
    ),
    Rule(
        SC,
        H,
        r"(?:dad|father|mum|mother|stepdad|step dad|stepmum|uncle|grandad|boyfriend|partner|"
        r"he|she) <W2>(?:hurts|hits|touches|smacks|beats|hurt|hit|touched|kicks|punches|burns) "
        r"(?:her|him|them)(?! back)",
        context="minor",
    ),
    Rule(
        SC,
        H,
        r"(?:kids|children|child|baby|son|daughter|boy|girl|toddler|twins) (?:is|are|being|get|gets|"
        r"got|were|was) (?:being )?(?:neglected|abused|beaten|starved|beaten up|left alone|hit|hurt by)",
    ),
    Rule(
        SC,
        H,
        r"<PERP> <W3>(?:gets|is|was|gone|goes|can be) (?:violent|rough|aggressive|physical) "
        r"(?:with|towards|to|around) (?:them|the kids|my kids|the children|my children|him|her|our \w+|"
        r"the baby|my son|my daughter)",
        context="minor",
    ),
    Rule(
        SC,
        M,
        r"(?:neglecting|neglected|cant look after|cannot look after|not looking after|"
        r"struggling to look after|cant care for) (?:my|the|our) (?:kids|children|baby|son|daughter|"
        r"little one)",
    ),
    Rule(
        SC,
        M,
        r"(?:leave|left|leaving) (?:her|him|the baby|my baby) (?:crying )?(?:in the cot |"
        r"in her cot |in his cot )?(?:crying )?for hours",
    ),
    Rule(
        SC,
        M,
        r"(?:shout|shouting|scream|screaming) at (?:my|the) (?:kids|children|son|daughter)"
        r" <W5>(?:grab|hit|smack|push|shake|hard)",
    ),
    Rule(
        SC,
        M,
        r"(?:kids|children|son|daughter|they) (?:see|seen|saw|watch|hear|heard) (?:us|him|me|"
        r"them) (?:fight|fighting|arguing|screaming|hit|hitting) <W3>(?:all the time|hide|scared|"
        r"cry|every)",
    ),
    Rule(
        SC,
        M,
        r"(?:son|daughter|kids|children|child) (?:is|are|gets|get) (?:scared|terrified|"
        r"frightened) (?:of|to go to) (?:his|her|their) (?:dad|father|mum|mother|stepdad)",
    ),
    # ---------------------------------------------------------- safeguarding: adult
    # Round 10 (train9): kept from being seen alone, medication held by someone else
    Rule(SA, M, r"(?:(?:havent|have not|not) been able|cant|couldnt|never get|never allowed|isnt allowed) to (?:speak|talk|see)"
         r" (?:to )?(?:her|him|them) (?:on (?:her|his|their) own|alone)", negation=False, history=False, scope="message",
         also=(r"(?:keeps|kept|holds|controls|takes|has) (?:hold of )?(?:her|his) (?:meds|medication|money|phone|bank card|passport"
               r"|tablets|cards?)|(?:he|she|they) (?:wont|doesnt|dont|never) let (?:me|us)|always (?:there|with (?:her|him))",)),
    # Round 10 (from out-of-fold misses): cuckooing
    Rule(SA, H, r"(?:moved into|taken over|took over|using|use) (?:his|her|their) (?:flat|house|home) (?:\w+ ){0,3}(?:to deal|for drugs"
         r"|to sell)|cuckoo\w*"),
    Rule(
        SA,
        U,
        r"(?:lying|lain|been) on the floor(?: \S+){0,6} (?:since|for|all night|hours|carer)",
        context="vuln",
    ),
    Rule(
        SA,
        U,
        r"(?:without|no|not had|hasnt had|havent had|had no|not eaten or had) (?:any )?(?:food|water|meds|his meds|her meds|medication)"
        r"(?: or (?:his |her )?(?:meds|medication|food|water))? (?:for )?(?:two|three|four|several|"
        r"a few|\d+) days",
        context="vuln",
    ),
    Rule(
        SA,
        H,
        r"(?:take|takes|taking|took|taken|steal|stealing|steals|stole|stolen|spend|spends|spending|spent|"
        r"control|controls|controlling|has control of|keep|keeps|keeping|uses|using) "
        r"<W3>(?:money|pension|benefits|bank card|savings|cards|purse|wallet)",
        context="vuln",
        veto=r"himself|herself|themselves|independently",  # "takes his benefits to the bank himself now"
    ),
    Rule(
        SA,
        H,
        r"(?:makes|made|making|forces|forced|pressures|pressured) (?:me|him|her|them) "
        r"(?:give|sign|hand over|pay|transfer)",
        context="vuln",
    ),
    Rule(SA, H, r"(?:loans?|credit cards?|debts?) in (?:my|his|her) name"),
    Rule(
        SA,
        H,
        r"(?:not allowed|isnt allowed|wont let (?:me|him|her)) (?:to )?(?:leave|go out|go to|"
        r"see|out)",
        context="vuln",
    ),
    Rule(SA, H, r"(?:locks?|locked|locking) (?:me|him|her|them) in", context="vuln"),
    Rule(
        SA,
        H,
        r"(?:left|leaves|leaving|leave) (?:me|him|her|them|mum|dad) (?:in|without|alone|on)"
        r" <W3>(?:soiled|dirty|wet|food|water|meds|days|floor|hours)",
        context="vuln",
    ),
    Rule(
        SA,
        M,
        r"(?:borrowing|borrows|borrowed|asks for|asking for) (?:\w+ )?(?:money|cash)",
        context="vuln",
    ),
    Rule(
        SA,
        M,
        r"(?:shouts|shout|shouting|swears|screams|yells) at (?:me|him|her|them|mum|dad)",
        context="vuln",
    ),
    Rule(
        SA,
        H,
        r"(?:carer|carers|staff|care worker|nurse|he|she|they|son|daughter|grandson|"
        r"granddaughter|partner|husband|wife|flatmate|man|people) <W5>(?:<HITME>|pinch|pinches|"
        r"pinched|bruising|bruised|touches|touching|touched|"
        r"calls (?:me|him|her) names|call (?:me|him|her) names|push (?:me|him|her) around|"
        r"pushes (?:me|him|her) around|rough with|neglect|neglects|ignores|takes advantage|"
        r"taking advantage|taken advantage|exploit|exploiting|exploits) ?(?:me|him|her|them|mum|"
        r"dad|my \w+)?",
        context="vuln",
    ),
    Rule(SA, H, r"taken advantage of|taking advantage of|exploiting|exploited", context="vuln"),
    Rule(
        SA,
        H,
        r"(?:hasnt|havent|not|isnt|arent|hadnt) (?:been )?(?:turning up|turned up|coming|"
        r"visiting|visited|feeding|fed|washing|washed|changing|changed|giving|given|checking)",
        context="vuln",
    ),
    Rule(
        SA,
        H,
        r"(?:bed sores|pressure sores|sores|bruises|bruising|malnourished|dehydrated)",
        context="vuln",
    ),
    Rule(
        SA,
        M,
        r"(?:giving|gives|sending|sends|sent|gave) (?:money|cash|her savings|his savings|"
        r"all her money|all his money) to (?:a|this|some) (?:man|woman|guy|person|stranger)",
        context="vuln",
    ),
    Rule(
        SA,
        M,
        r"(?:doesnt|isnt|not|hasnt been) (?:seem to be )?(?:eating|washing|getting food)"
        r" <W5>(?:nobody|no one|visits|alone)",
        context="vuln",
    ),
    # ---------------------------------------------------------- domestic abuse
    # Round 10 (train9): held by the neck, a plate thrown at the patient
    Rule(DA, U, r"(?:had|held|pinned|pushed|grabbed|lifted) (?:me )?(?:up )?(?:against (?:the|a) (?:wall|door|fridge) )?"
         r"by (?:my|the) (?:neck|throat)"),
    Rule(DA, H, r"(?:threw|throws|thrown|chucked|hurled|lobbed) (?:a |the |his |her )?<THROWN> at (?:me|my head|the wall "
         r"(?:by|next to|behind|beside) me)"),
    # Round 10 (from out-of-fold misses): pinned down, injuries lied about to the hospital
    Rule(DA, H, r"(?:pins|pinned|pinning|holds|held) me down"),
    Rule(DA, H, r"(?:lie|lied|lying) to (?:the )?(?:hospital|a e|doctor|doctors|gp|nurse|police) about (?:how (?:i|my|it)"
         r"|what happened|my (?:bruises|injuries|ribs|eye|face|arm|wrist|neck|head))"),
    # Round 10: control by a threat to self-harm ("my girlfriend says if i go on my mates stag
    # do shell hurt herself and itll be my fault").
    Rule(DA, M, r"(?:says|said|threatens|threatened|threatening|tells me|told me) (?:that )?if i (?:\w+ ){0,8}"
         r"(?:shell|hell|she will|he will|shed|hed|she would|he would|theyll|they will) (?:hurt|kill|harm|cut|top) "
         r"(?:herself|himself|themselves)", subject=False),
    Rule(DA, U, r"<PERP> <W3><CHOKE> (?:me)?"),
    Rule(DA, U, r"(?:hands?|arm|fingers) (?:round|around|on) my (?:neck|throat)"),
    Rule(DA, U, r"(?:i was|got|been|being) (?:strangled|choked|throttled)"),
    Rule(
        DA,
        U,
        r"(?:<PERP>) <W3>(?:said|says|told me|threatened|threatens|texted|keeps saying|"
        r"swore|swears) <W3>(?:kill|murder) me",
    ),
    Rule(
        DA,
        U,
        r"(?:<PERP>) (?:will|ll|is going to|going to|would|might) (?:kill|murder) me"
        r"(?= if i (?:leave|tell|go|report|call|break|try|speak|talk|dont)| if i ever (?:leave|tell))",
    ),
    Rule(
        DA,
        U,
        r"(?:scared|afraid|terrified|frightened|worried|fear|think) "
        r"<W2>(?:<PERP>) (?:will|ll|is going to|going to|might|could|would) (?:kill|murder|really hurt) me",
    ),
    Rule(
        DA,
        U,
        r"<PERP> <W3>(?:has|got|with|holding|grabbed) (?:a )?(?:knife|gun|weapon|blade)"
        r"<W5>(?:me|threaten|threatening|now)",
    ),
    Rule(DA, U, r"(?:<PERP>) <W3><HITME> me <W3>(?:right now|now|still here)"),
    # "us" at home (round 8 review): "mum only hits us with the belt when we're really bad".
    # A parent hurting "us" is a child's home; a partner hurting "us", the patient's.
    Rule(SC, H, r"(?:my |our )?(?:dad|father|mum|mother|stepdad|step dad|stepmum|step mum|mums boyfriend|dads girlfriend)"
         r" <W3><HITME> us\b", veto=r"pillow"),
    Rule(DA, H, r"(?:my )?<PARTNER> <W3><HITME> us\b", veto=r"pillow"),
    Rule(
        DA,
        H,
        r"<PERP> <W3><HITME> (?:me|my (?:face|head|arm|arms|neck|stomach|body|back))",
        # a grab that saves, a pillow fight
        veto=r"to stop me|stop me (?:from )?(?:falling|slipping|tripping|stepping)|"
        r"so i (?:didnt|wouldnt) (?:fall|slip|trip)|pillow",
    ),
    Rule(
        DA,
        H,
        r"(?:i was|got|been|being|i get) (?:hit|punched|slapped|kicked|beaten|beaten up|"
        r"pushed|raped|assaulted|attacked) by (?:my )?<PARTNER>",
    ),
    Rule(
        DA,
        H,
        r"<PERP> <W3>(?:forced|forces|forcing|made|makes|pressured|pressures) me <W2>"
        r"(?:have sex|sex|sexual|sleep with|do things)",
    ),
    Rule(DA, H, r"<PERP> <W3>(?:raped|rapes|sexually assaulted|assaulted) me"),
    Rule(
        DA,
        H,
        r"<PERP> <W8>(?:threatened|threatens|threatening|threaten) (?:to )?(?:hurt |harm |"
        r"hit )?me",
    ),
    Rule(
        DA,
        H,
        r"(?:<PERP>) <W3>(?:threatened|threatens|threatening|said|says) (?:to |he will |she will |"
        r"hell |shell )?(?:hurt|harm|hit|beat|kill) (?:me|himself|herself)(?= if| when)",
    ),
    Rule(
        DA,
        H,
        r"(?:scared|afraid|terrified|frightened) (?:to go|of going|to be) (?:home|back home|alone with)",
        # round 11: afraid of one's own intrusive thoughts, not of someone ("scared to be alone with
        # my toddler because of the thoughts ... its classic ocd")
        veto=r"(?<!not )ocd|intrusive|because of (?:the|my) thoughts|(?:the|my) thoughts (?:about|of)",
        scope="sentence",
    ),
    Rule(DA, H, r"(?:scared|afraid|terrified|frightened) of (?:my )?<PARTNER>"),
    Rule(
        DA,
        H,
        r"<PERP> <W3>(?:smashed|broke|destroyed|took) (?:my )?(?:phone|things|stuff)"
        r"<W5>(?:leave|tell|never see|scared|threat)",
    ),
    Rule(
        DA,
        H,
        r"(?:make sure|says|said) (?:that )?i (?:never|wont|will never) see (?:the|my) (?:kids|children)",
    ),
    Rule(
        DA,
        H,
        r"(?:my )?<PARTNER> <W3>(?:keeps|keep) (?:turning up|showing up|coming round|following)"
        r"<W5>(?:threat|scared|wont leave|shouting)",
    ),
    Rule(
        DA,
        H,
        r"<PERP> <W3>(?:gets|is|was|gone|goes|can be) (?:violent|physical|rough) "
        r"(?:with|towards|to) me",
    ),
    Rule(
        DA,
        M,
        r"<PERP> <W3>(?:checks|check|checking|goes through|reads|monitors) (?:my )?(?:phone|"
        r"messages|texts|emails|bank)",
    ),
    Rule(
        DA,
        M,
        r"<PERP> <W3>(?:wont|doesnt|will not|does not|never) (?:let|allow) me (?:to )?"
        r"(?:see|go|leave|have|work|out|visit|talk|spend|get)",
    ),
    Rule(
        DA,
        M,
        r"(?:my )?<PARTNER> <W3>(?:controls|control|controlling|takes|took|keeps) "
        r"(?:all )?(?:the |my |our )?(?:money|finances|bank card|wages|everything i do)",
    ),
    Rule(
        DA,
        M,
        r"(?:have to|got to|need to|must) ask (?:him|her|them) (?:for|before) (?:everything|money|"
        r"permission)",
    ),
    Rule(DA, M, r"<PERP> <W3>(?:tracks|tracking|tracked|follows|following) (?:my|me)"),
    Rule(
        DA,
        M,
        r"<PERP> <W3>(?:calls|calling|called) me (?:worthless|useless|stupid|fat|ugly|a \w+)"
        r"<W5>(?:every|all the time|always|no one|nobody)",
    ),
    Rule(DA, M, r"(?:no one|nobody) else would (?:want|have|love) me"),
    Rule(DA, M, r"walking on eggshells"),
    Rule(DA, M, r"(?:shouts|screams|yells) in my face"),
    Rule(
        DA,
        M,
        r"(?:goes|go|going) (?:mad|crazy|mental|nuts|ballistic) if i (?:am|m|im|go|see|talk|"
        r"leave|dont|come)",
    ),
    Rule(
        DA,
        M,
        r"(?:my )?<PARTNER> <W3>(?:wont|doesnt|will not) let me (?:leave|go) "
        r"(?:the house|out|without)",
    ),
    # round 11: control told as ordinary ("he went through my messages once. is that a red flag",
    # "wants my location on all the time and sulks if i see my mates")
    Rule(DA, M, r"<PERP> <W3>(?:went|goes|has been going|keeps going|looked|looks) through my (?:phone|messages|texts|emails|whatsapps?|dms)",
         veto=r"with me|together|for me|to help|i asked|asked (?:him|her)|find (?:the|a|an|that)"),
    Rule(
        DA,
        M,
        r"<PERP> <W3>(?:checks|checking|check|questions|questioning) (?:what|everything|every penny) i (?:spend|buy|spent|bought)|"
        r"(?:my )?<PARTNER> <W5>controlling (?:with|about|over) (?:the |our |my )?(?:money|finances|what i spend)",
    ),
    Rule(
        DA,
        M,
        r"(?:wants?|wanted|needs?) (?:to (?:see|know|have) )?my location (?:on )?(?:all the time|24 ?7|at all times|always)|"
        r"(?:sulks|sulky|goes quiet|kicks off|gets (?:funny|angry|arsey|moody|jealous)|punishes me) (?:\w+ )?"
        r"(?:if|when|whenever) i (?:see|go out with|meet|talk to|text|message) (?:my )?(?:mates|friends|family|mum|sister|"
        r"other (?:guys|men|lads|girls|women|people))",
        also=(r"<PARTNER>",),
        scope="sentence",
    ),
    Rule(DA, M, r"<PERP> <W3>(?:doesnt|does not|dont) (?:like|let) me (?:going|go) out without (?:him|her)", negation=False),
)


# ----------------------------------------------------------------------------
# Concept rules: co-occurrence of concept classes in one clause, not fixed
# phrases.  Written from the phenomena the fresh probes showed (means +
# preparation, desire + death, finality, acts on the body, threats with long
# gaps, a child or a vulnerable adult + harm, neglect or a sexual cue).
# ----------------------------------------------------------------------------

MACROS.update(
    {
        "DEATHW": (
            r"(?:die|dying|dead|death|suicide|kill <MYSELF>|killing <MYSELF>|end it|end it all|"
            r"ending it|end my life|ending my life|not wake up|never wake up|not to wake up|"
            r"not waking up|not be here|not be around|not exist|not survive|take me|"
            r"not come back|never come back|be gone|be with (?:him|her|them) again)"
        ),
        "DESIRE": (
            r"(?:want|wanted|wanting|wanna|wish|wishing|would rather|rather|welcome|pray|"
            r"praying|prayed|hope|hoping|long for|longing|ready|tempted|crave|craving|"
            r"would like|wouldnt mind|dont mind|happy to|prefer|need)"
        ),
        "FIXATE": (
            r"(?:keep thinking|kept thinking|thinking|thought|think|cant stop thinking|"
            r"imagining|imagine|imagined|picturing|picture|pictured|fantasi[sz]\w*|"
            r"dreaming|dream|obsess\w*|drawn to|visuali[sz]\w*|planning|considering)"
        ),
        "SPOT": (
            r"(?:train tracks|tracks|railway|railway line|the line|level crossing|bridge|cliff|"
            r"cliffs|edge|ledge|rooftop|roof|multi storey|car park roof|reservoir|motorway bridge|"
            r"platform|the sea|the river|quarry|banister|bannister|noose|rope|ligature|"
            r"jumping|hanging|overdosing|overdose|drowning|the drop|the fall)"
        ),
        "MEANS": (
            r"(?:<DRUG>|overdose|rope|noose|ligature|belt|cord|cable|hose|hosepipe|exhaust|"
            r"charcoal|gas oven|the gas|height|heights|the drop|bridge|tracks|train times|"
            r"fast trains?|the line|level crossing|the sea|"
            r"reservoir|cliff|banister|bannister|engine running|helium|bleach|poison)"
        ),
        "PREP": (
            r"(?:saved|saving|save up|stockpil\w*|hoard\w*|stash\w*|counted|counting|count|"
            r"collected|collecting|researched|researching|looked up|looking up|look up|googled|"
            r"googling|searched|searching|ordered|practised|practiced|practising|practicing|"
            r"rehearsed|rehearsing|tested|test run|trial run|dry run|worked out|working out|"
            r"how many|how much|enough|lethal|it would take|would it take|for when i|"
            r"what (?:its|it is|theyre|they are) for|to do it with|use it on <MYSELF>|"
            r"use them on <MYSELF>|tied|tying|tie it|have (?:it|them) ready|got (?:it|them) ready|"
            r"picked|chosen|chose|hidden|hid|keep them|keeping them|definitely)"
        ),
        # Round 10: a zero taken back is an answer too ("i put 0 but its more like a 3").
        "ITEMSAID": (
            r"(?:(?:put|scored|score|ticked|circled|answered|gave it|marked|chose|picked|was|is|its)"
            r"(?: (?:more like|really|actually|closer to))?|more like|closer to"
            r"|should (?:have|of|ve) (?:put|been|said|ticked|circled)|should be)"
        ),
        # ... an answer, not a count of something ("question 9 is 2 pages in")
        "ITEMSCOREHI": (
            r"(?:a |it a |it )?(?:2|3|two|three|more than half(?: the days)?|nearly every day)\b"
            r"(?! (?:pages?|points?|minutes|mins|hours|days|weeks|months|years|times|questions?|items?|lines?)\b)"
        ),
        "ITEMSCORELO": (
            r"(?:a |it a |it )?(?:1|one|several days)\b"
            r"(?! (?:pages?|points?|minutes|mins|hours|days|weeks|months|years|times|questions?|items?|lines?)\b)"
        ),
        "ITEM9": (
            r"(?:(?:question|item|q|number) (?:9|nine)|q9|item9|(?:better|best) off dead|(?:hurting|harming) (?:yourself|myself)"
            r"|thoughts? (?:of|about) (?:death|dying|self harm|suicide|being dead|hurting)"
            r"|the (?:suicide|self harm|dead|death) (?:one|question|bit)"
            # round 10: "phq9 last q = 3"
            r"|phq ?9? (?:the )?(?:last|final) (?:q|question|item|one))"
        ),
        "PRESENT": (
            r"(?:walked|walk|walking|went|go|going|stood|standing|stand|sat|sitting|drove|drive|"
            r"driving|been|climbed|climbing|looked over|looking over|waited|waiting)"
        ),
        # Away on a day, not gone: "wont be around for christmas, were going to my in laws".
        "AWAY": (
            r"(?:holiday|holidays|away (?:with|for|at|on|in|visiting|camping|until|till)|abroad|"
            r"(?:a|on a|the|our|my) trip|travelling|traveling|visiting|in laws|inlaws|"
            r"staying (?:at|with)|going to (?:my|our|see)|going home|(?:a|my|the|our) flight|flying|"
            r"festival|wedding|moving house|conference|camping|cruise|"
            r"working (?:nights|late|away|a shift|a double|the weekend|weekends)|(?:a|my|double|night|late|early) shift|"
            r"(?:an|my) operation|in hospital for (?:an|my)|(?:no|bad) (?:signal|wifi|internet|reception))"
        ),
        "BENIGNUSE": (
            r"(?:holiday|trip|prescription|repeat|refill|pharmacy|pharmacist|chemist|headaches?|"
            r"migraines?|period|toothache|hangover|back pain|cold|flu|kitchen|cooking|dinner|"
            r"chopping|dog|cat toy|garden|washing line|camping|climbing wall|gym|work|commute|"
            r"leeds|london|station to|to see|visit|ocd|intrusive|film|book|documentary|news|dosette|pill organi[sz]er)"
        ),
        "WEAPON": (
            r"(?:knife|knives|blade|bat|baseball bat|hammer|machete|gun|crowbar|acid|"
            r"screwdriver|weapon)"
        ),
        "VIOLING": (
            r"(?:hurting|killing|strangling|stabbing|poisoning|poison|attacking|battering|"
            r"beating|smashing|shooting|running (?:him|her|them) over|pushing|throttling|"
            r"choking|drowning|suffocating|glassing|punching)"
        ),
        "PERSON": (
            r"(?:him|her|them|my \w+|his \w+|her \w+|the \w+|that \w+|this \w+|"
            r"my \w+ in law|my \w+ \w+)"
        ),
        "THREATV": (
            r"(?:said|says|say|told me|tells me|threatened|threatens|threatening|texted|"
            r"messaged|keeps saying|swore|swears|warned|promised|screamed|shouted)"
        ),
        "KILLME": (
            r"(?:kill|murder|finish|stab|strangle|bury|burn|shoot|end) (?:me|us)|"
            r"with me in it|with us in it|(?:kill|hurt|take) (?:me and )?(?:the kids|the children|"
            r"the baby|my kids|our kids)"
        ),
        "HURTBODY": (
            r"(?:broke|broken|breaks|fractured|cracked|split|bruised|dislocated|burnt|burned|"
            r"cut|grabbed|pulled|yanked|twisted|squeezed(?! my hands?\b)|bit|scratched|slammed|smashed|"
            r"punched|kicked|hit|stamped on|spat in) (?:my|me by the|me by my) <BODY>"
        ),
        "SEXCUE": (
            r"(?:porn|pornography|naked|nude|nudes|private parts|privates|secrets?|bath time|"
            r"touch\w*|sexual\w*|inappropriate\w*|in (?:her|his|their) bed|"
            r"(?:comes|came|coming|goes|went|creeps|crept|sneaks|sneaked|gets|got) (?:in|into) "
            r"(?:her|his|their|my \w+s|the kids|the childrens) (?:room|bedroom|bed)|"
            r"groom\w*|meet (?:up|her|him)|meeting (?:up|her|him)|picked up|"
            r"picking (?:her|him|them) up|gifts|sends? (?:her|him) (?:money|pictures|photos))"
        ),
        "MINOR": (
            r"(?:<CHILD>|\d+ ?yo|\d+ years? old|teenage \w+|is [1-9]|is 1[0-5]|hes [1-9]|"
            r"shes [1-9]|aged [1-9]|little one|year 7|primary school)"
        ),
        "ADULTMAN": (
            r"(?:grown|older|adult|old) (?:man|men|guy|guys|bloke|blokes|lads|boy|boys)|"
            r"man online|men online|stranger"
        ),
        "HUNGRY": (
            r"(?:hungry|starving|starved|no food|not fed|not feeding|forget to feed|forgot to feed|"
            r"forgets to feed|dont feed|didnt feed|cant feed|nothing to eat|not eaten|"
            r"dirty|filthy|unwashed|smelly|same clothes)"
        ),
        "ALONE": (
            r"(?:alone|on (?:their|his|her) own|by (?:themselves|himself|herself)|in the car)"
        ),
        "INJURY": (
            r"(?:bruise|bruises|bruised|bruising|marks|burns|burn marks|welts|black eye|"
            r"injuries|injury|injured|cuts|fractures?|broken (?:arm|leg|wrist|bone|bones))"
        ),
        "HURTVERB": (
            r"(?:hit|hits|hitting|hurt|hurts|hurting|punch\w*|slap\w*|kick\w*|push\w*|shov\w*|"
            r"grab\w*|beat|beats|beating|beaten|bruis\w*|pinch\w*|drag\w*|rough|shout\w*|"
            r"scream\w*|threaten\w*|touch\w*|neglect\w*|ignor\w*)"
        ),
    }
)

_NOT_OCD = r"(?:(?<!not )(?<!not the )(?<!isnt )(?<!isnt the )(?<!not my )(?<!like my )ocd|intrusive|would never act|wouldnt act|never act on|wont act)"

CONCEPT_RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------- suicide: plan / means / finality
    Rule(
        SP,
        U,
        r"<PREP>",
        also=(r"<MEANS>",),
        veto=r"<BENIGNUSE>|when i see|for (?:him|her|them)|get (?:him|her|them)",
    ),
    Rule(
        SH,
        M,
        r"<PREP>",
        also=(r"knife|blade|blades|razor|razors|sharpener|glass",),
        veto=r"<BENIGNUSE>|when i see|for (?:him|her|them)|get (?:him|her|them)|shaving|shave",
    ),
    Rule(
        SP,
        U,
        r"<LATER> <W3>(?:im |i am |i will |ill )?(?:ending it all|ending it(?! with)|"
        r"ending my life|end it all|end it(?! with)|end my life|killing myself|kill myself|"
        r"take my life|taking my life)|(?:ending it all|ending it(?! with)|ending my life|"
        r"killing myself|taking my life) <W3><LATER>",
        veto=r"thoughts?|thinking|urges?|feelings?|if|whether",
    ),
    Rule(
        SP,
        U,
        r"<PRESENT>",
        also=(r"<SPOT>", r"<FIXATE>|<DEATHW>|jump|jumped|over the \w+"),
        scope="sentence",
    ),
    Rule(SP, U, r"(?:engine|car) (?:running|on)", also=(r"garage|hose|hosepipe|exhaust|fumes",)),
    Rule(SP, U, r"(?:hose|hosepipe|pipe|tube)", also=(r"exhaust",)),
    Rule(
        SP,
        U,
        r"(?:tie|tied|tying|hang|hanging|attach\w*)",
        also=(
            r"banister|bannister|loft hatch|beam|curtain rail|door|hook|ceiling|tree",
            r"belt|rope|cord|cable|scarf|tie|it|noose|myself",
        ),
        scope="sentence",
        veto=r"washing|picture|mirror|shelf|decorations|lights|hammock|swing",
    ),
    Rule(
        SP,
        U,
        r"how (?:many|much) (?:it )?(?:would|will|does|do|did) (?:it )?take(?! to (?!die|kill|end))",
        negation=False,
    ),
    Rule(SP, U, r"(?:what|which) (?:height|dose|amount) (?:is|would be|will be) enough"),
    Rule(
        SP,
        U,
        r"(?:picked|chosen|chose|set|decided on|got) (?:a|the) (?:date|day|time)(?! for| to)",
        also=(r"talk me out|stop me|goodbye|end it|over|last|die|<MEANS>",),
        scope="sentence",
    ),
    Rule(SP, U, r"(?:dont|do not|wont|will not) (?:try (?:and|to) )?(?:talk me out of it|stop me)"),
    Rule(SP, U, r"(?:something|stuff|things?) (?:online )?to do it with"),
    Rule(
        SP,
        U,
        r"(?:thats|that is|its|is) my plan|my plan is|the plan is|plan b",
        also=(r"<MEANS>|<DEATHW>|jump|knife|blade|razor",),
        scope="message",
        veto=r"<BENIGNUSE>",
    ),
    Rule(
        SP,
        U,
        r"(?:tonight|today|tomorrow|this weekend|this week|sunday|monday|friday|saturday) "
        r"(?:could|might|will|is going to|would) be (?:it|the (?:night|day))",
    ),
    Rule(
        SP,
        U,
        r"(?:know|found|picked|chosen|got) (?:the|a|my) (?:spot|place)(?! for)",
        also=(r"<SPOT>|<DEATHW>|<MEANS>|tonight",),
        scope="sentence",
    ),
    Rule(
        SP,
        U,
        r"(?:after|when|once) (?:im|i am|i m) gone(?! on| to| for| away)",
        also=(
            r"easier|burden|nobody|no one|sorted|arranged|will|letters?|notes?|cancelled|"
            r"giving|gave|sorry",
        ),
        scope="sentence",
    ),
    Rule(
        SP,
        U,
        r"(?:cat|dog|pets?|things|stuff|belongings|savings|kids|children|plants) "
        r"(?:goes|go|going|will go|to go|are going) to \w+(?: \w+)? (?:after|when)(?! \w+ \w+ (?:work|school|holiday))",
    ),
    Rule(
        SP,
        U,
        r"(?:everything|it alls?|all) (?:is |s )?(?:arranged|sorted|in place|ready)",
        also=(r"after|gone|goodbye|sorry|will|letters?|notes?|<MEANS>",),
        scope="sentence",
        veto=r"holiday|wedding|party|move|moving|mortgage|retire\w*|trip|christmas|job",
    ),
    Rule(
        SP,
        U,
        r"(?:cancelled|cancelling|closed|closing) (?:my )?(?:phone|contract|accounts?|subscriptions?)",
        also=(r"will|gone|easier|goodbye|letters?|sorry|after",),
        scope="sentence",
    ),
    Rule(
        SP,
        U,
        r"(?:last|final) (?:time|message|text) (?:you ll|youll|you will|anyone will|"
        r"youll ever|you ll ever) (?:hear|see)",
    ),
    Rule(
        SP,
        U,
        r"(?:dont|do not|cant|cannot|can not) (?:see|picture|imagine) (?:myself|me) "
        r"(?:being )?(?:around|here|alive|living) (?:for|at|by|next|in|to see|much|till|until|after)",
    ),
    Rule(
        SP,
        U,
        r"(?:wont|will not|not going to) (?:make it|be here|be around|be alive) "
        r"(?:to|till|until|for) (?:christmas|my birthday|new year|summer|the weekend|next \w+)",
        veto=r"<AWAY>",
        scope="sentence",
    ),
    # Doubt about being here on a day: "sunday dread again. not sure ill be around for
    # monday". Being away (a holiday, a shift, a visit) is scheduling, not risk.
    Rule(
        SP,
        U,
        r"(?:not sure|dont know if|dont think|doubt|unsure (?:if|whether)|no idea if) "
        r"(?:i will|ill|i|im going to|im gonna) (?:still )?(?:be around|be here|be alive|make it) "
        r"(?:for|till|until|to|by|past) <W2>(?:christmas|my birthday|new year|summer|the weekend|"
        r"next (?:week|month|year)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"tomorrow|the morning)",
        veto=r"<AWAY>",
        scope="sentence",
    ),
    Rule(SP, U, r"<INTENT> <W3>(?:use it|use them|do it) on <MYSELF>"),
    Rule(
        SP,
        U,
        r"(?:taken|took|swallowed|had|ate|eaten|necked|downed) (?:about |around |like |"
        r"over |maybe |nearly |almost )?(?:(?:a |the )?(?:whole |full |entire )?(?:packet|pack|"
        r"box|strip|bottle|tub|blister|load|handful|lot|sheet)s? of|all (?:of )?|every|"
        r"[1-9]\d|[2-9]\d\d|ten|twelve|fifteen|twenty|thirty|forty|fifty) "
        r"(?:of )?(?:my |the |his |her )?(?:\w+ )?<DRUG>",
    ),
    # ---------------------------------------------------------- ideation
    Rule(SI, H, r"<DESIRE>", also=(r"<DEATHW>",), veto=r"lol|joke|heart attack|plane|crash|rather die <TRIVIALTHAN>"),
    Rule(SI, H, r"<FIXATE>", also=(r"<SPOT>",), veto=_NOT_OCD + r"|<BENIGNUSE>"),
    Rule(
        SI,
        H,
        r"(?:hate|hating|sick of|tired of|fed up (?:of|with)|done with|had enough of) "
        r"(?:being alive|existing|living|life|this life|being here)"
        r"(?! (?:here|in|with|at|on|near|like|together|alone|abroad|in this))",
    ),
    Rule(
        SI,
        H,
        r"lived (?:long )?enough|(?:had|have had|ive had) (?:enough of|my fill of) (?:life|living)",
    ),
    Rule(
        SI,
        H,
        r"(?:dont|do not|no|not) (?:want|wanna|wish) (?:to )?(?:live|be alive|exist)"
        r"(?: (?:more|anymore|any more|any longer))?(?= \.| ,|$| more| anymore| any longer)",
    ),
    Rule(SI, H, r"(?:want|wanna|wish)(?: to)? (?:unalive|kill)(?= \.| ,|$)"),
    Rule(
        SI,
        H,
        r"(?:my own|own) funeral",
        also=(
            r"relief|peace|better|wish|want|imagine\w*|"
            r"pictur\w*|plan\w*",
        ),
        veto=r"values|exercise|eulogy|worksheet",
    ),
    Rule(
        SI,
        H,
        r"(?:if|when) (?:a|the) (?:bus|car|lorry|train|truck) (?:hit|hits|ran over|runs over) me",
        also=(r"mind|care|relief|fine|good|better|welcome|wish|hope",),
        negation=False,
    ),
    Rule(
        SI,
        H,
        r"(?:god|he|someone) (?:takes|take|would take|will take|took) me"
        r"(?= in my sleep| tonight| away| home|$| \.)",
    ),
    Rule(SI, M, r"(?:given|give|giving|gave) up on (?:everything|life|myself|it all|living)"),
    Rule(
        SI,
        H,
        r"(?:want|wish|would like) (?:it|everything|this|it all|all this|the pain|life) "
        r"(?:all )?to (?:stop|end|be over)(?= \.| ,|$| now| forever| for good)",
        veto=r"rain|noise|weather|week|day|meeting|pain in my",
    ),
    # ---------------------------------------------------------- self-harm
    Rule(
        SH,
        H,
        r"(?:cut|cuts|cutting|cutted) (?:\w+ )?(?:deeper|too deep|deep)|deep cuts?|deeper (?:cuts?|this time)",
        act=True,
    ),
    Rule(
        SH,
        H,
        r"(?:carv\w*|etch\w*|scratch\w*|cut|cuts|cutting|burn\w*|stub\w*|dig\w*|"
        r"dug|press\w*|wrote|writing|stab\w*) <W3>(?:into|in|on) (?:my|both my) <BODY>"
        r"(?! (?:on|with|while|when|shaving|chopping|cooking|at|by|climbing|playing|during))",
        act=True,
        veto=r"tattoo|henna|pen|marker|sun|sunburn|oven|iron|kettle|pan|tray|stove",
    ),
    Rule(
        SH,
        H,
        r"(?:used|use|using|took|take|ran|run) (?:it|them|a \w+|the \w+|my \w+|some \w+) "
        r"on (?:my |both )?<BODY>",
        also=(
            r"blade|razor|glass|knife|lighter|scissors|compass|pin|needle|sharpener|cigarette|"
            r"it|them",
        ),
        veto=r"cream|moisturiser|lotion|shaver|trimmer|brush|sunscreen|gel",
    ),
    Rule(
        SH,
        H,
        r"(?:until|till|til|untill|till|til) (?:it|they|my \w+|i|the skin) "
        r"(?:bleed|bleeds|bled|bleeding|bruise|bruises|bruised|blister\w*|break|breaks|broke|"
        r"is raw|are raw|burns|hurt|hurts)",
        act=True,
    ),
    Rule(
        SH,
        H,
        r"(?:stopped eating|not eating|starv\w*|skip\w* meals|made myself sick|make myself sick|"
        r"making myself sick|throw\w* up|purg\w*|made myself throw up)",
        also=(
            r"punish\w*|deserve\w*|hate myself|because im (?:disgusting|fat|worthless)|"
            r"on purpose|to hurt",
        ),
        scope="sentence",
    ),
    Rule(
        SH,
        H,
        r"(?:deserve|deserved) to (?:feel|be) (?:awful|bad|terrible|pain|hurt|in pain|punished)",
    ),
    Rule(
        SH,
        M,
        r"(?:pull\w*|pick\w*|tear\w*) (?:out )?(?:my )?(?:hair|eyelashes|eyebrows|skin|scabs)",
        also=(r"bald|patch|patches|clumps|handfuls|cant stop|bleed\w*|raw|trich\w*|scars?",),
        scope="sentence",
    ),
    Rule(
        SH,
        H,
        r"(?:took|taken|take|swallowed|had) (?:a few|some|extra|more|double|too many|"
        r"loads of|a load of|a couple of) (?:extra )?(?:of )?(?:my )?<DRUG>",
        also=(
            r"knock myself out|sleep for|not feel|numb|(?:go|make) (?:it |the pain |everything )?"
            r"(?:go )?away|escape|blank out|hurt myself|punish|not wake",
        ),
        scope="sentence",
    ),
    Rule(
        SH,
        U,
        r"(?:skin|it) (?:has |is |s )?(?:come|came|coming|peeled|peeling|hanging) off|"
        r"(?:burn\w*|cut|cuts|cutting|sliced|slashed) (?:myself|my \w+) (?:really |very |so )?"
        r"(?:badly|bad|deep|deeply)(?! at| in| on the)",
        context="sh",
    ),
    Rule(SH, H, r"(?:scald|scalded|scalding|scalds) (?:myself|my \w+)", act=True),
    Rule(
        SH,
        H,
        r"(?:bang|banging|banged|bash|bashing|bashed|hit|hitting) (?:my )?(?:head|fists?) "
        r"(?:against|into|on|off)",
        act=True,
    ),
    # ---------------------------------------------------------- harm to others
    Rule(HO, H, r"<FIXATE>", also=(r"<VIOLING> (?:<PERSON>)",), veto=_NOT_OCD),
    Rule(
        HO,
        H,
        r"(?:put|putting|puts) (?:him|her|them|<OBJ>) (?:in|into) (?:hospital|a&e|"
        r"the ground|a box|the grave|a coffin|a wheelchair|intensive care)",
    ),
    Rule(
        HO,
        U,
        r"<WEAPON>",
        also=(
            r"for when i see|for (?:him|her|them)(?= \.| ,|$)|when i see (?:him|her|them|my|his|her)|"
            r"use it on (?:him|her|them)|get (?:him|her|them)|(?:he|she|they) ll get|"
            r"(?:hes|shes|theyre|he is|she is) going to get",
        ),
        scope="sentence",
        veto=r"kitchen|cooking|chopping|dinner|garden|shed|diy|cricket|rounders|baseball game",
    ),
    Rule(
        HO,
        H,
        r"(?:get|gets|getting|got) (?:whats|what s|what is|what) (?:coming|coming to (?:him|her|them))",
        subject=False,
    ),
    Rule(
        HO,
        U,
        r"(?:got|bought|have|ive got|taking|carrying) (?:a |my |the )?<WEAPON>",
        also=(
            r"(?:get|gets|getting) (?:whats|what s|what is|what) (?:coming|(?:he|she|they) deserves?)|"
            r"(?:going|go|im going) (?:round|over) (?:there|to his|to hers|to theirs)",
        ),
        scope="message",
        subject=False,
    ),
    Rule(
        HO,
        U,
        r"(?:<INTENT>|want to|wanna) <W2>(?:<HARMV>) <W2><OBJ> <W8>"
        r"(?:<WHEN>|with (?:a|my|the) (?:knife|gun|bat|hammer|blade|weapon))",
    ),
    # ---------------------------------------------------------- domestic abuse
    Rule(
        DA,
        U,
        r"<PERP>",
        also=(r"<THREATV>", r"<KILLME>"),
        subject=False,
        scope="sentence",
        veto=r"joke|joking|lol|game|film|kill me if i (?:forget|miss|am late|dont)",
    ),
    Rule(
        DA,
        H,
        r"<PERP>",
        also=(r"<HURTBODY>",),
        subject=False,
        veto=r"accident|accidentally|by mistake|playing|football|rugby|boxing|dentist|doctor|"
        r"to stop me|stop me (?:from )?(?:falling|slipping|tripping|stepping)|pillow",
    ),
    Rule(
        DA,
        U,
        r"<PERP> <W3>(?:grabbed|grabs|held|holds|squeezed|squeezes|pinned|pins|had|has|got) "
        r"(?:me )?(?:by )?(?:the|my) (?:throat|neck)",
        subject=False,
    ),
    Rule(
        DA,
        M,
        r"<PERP> <W3>(?:controls|control|controlling|takes|took|keeps|has) "
        r"(?:all )?(?:the |my |our )?(?:money|finances|bank card|wages|cards|passport|documents|"
        r"visa|car keys|keys)",
        subject=False,
        veto=r"remote|lol|haha|happy",
    ),
    Rule(
        DA,
        M,
        r"(?:have to|got to|need to|must) ask (?:him|her|them) (?:for|before) (?:\w+ )?"
        r"(?:money|fare|cash|permission|everything|petrol|food)",
    ),
    Rule(
        DA,
        M,
        r"<PERP> <W3>(?:takes|take|took|taken|hides|hid|keeps|kept|has) (?:my|our) "
        r"(?:passport|documents|id|visa|phone|car keys|keys|bank card)",
        subject=False,
    ),
    Rule(DA, H, r"<PERP> <W3>(?:locks|locked|locking|keeps) me (?:in|inside|out)", subject=False),
    # ---------------------------------------------------------- safeguarding: child
    Rule(
        SC,
        H,
        r"<SEXCUE>",
        also=(
            r"<MINOR>|(?:her|his) (?:room|bedroom|bed)",
            r"<PERP>|<FAMILY>|grandad|stepdad|step dad|uncle|man|men|"
            r"boyfriend|neighbour|teacher|coach|<ADULTMAN>|someone",
        ),
        scope="sentence",
        veto=r"school talk|assembly|lesson|sex ed|puberty|film|book",
    ),
    Rule(SC, H, r"<ADULTMAN>", also=(r"<MINOR>",), scope="sentence", veto=r"film|book|news"),
    Rule(
        SC,
        H,
        r"<HUNGRY>",
        also=(r"<CHILD>|<MINOR>|them|they",),
        scope="sentence",
        veto=r"diet|fussy|picky|growth spurt|always hungry after|mud|football|garden|playing|"
        r"after (?:swimming|school|practice|training|the park|the beach|a long|their)",
    ),
    Rule(
        SC,
        H,
        r"(?:left|leave|leaves|leaving|lock|locks|locked|locking) "
        r"(?:<CHILD>|her|him|them|my \w+|the \w+|our \w+)(?: \w+){0,4} <ALONE>",
        also=(r"<MINOR>",),
        scope="sentence",
        unless="vuln",
        veto=r"1[3-9]|teen\w*|minutes|next door|garden|nap|asleep upstairs|school trip",
    ),
    Rule(
        SC,
        H,
        r"(?:<CHILD>|kids|children) (?:are|is|were|was|get|gets|got)?(?: always)? "
        r"(?:left|locked) (?:<ALONE>|in (?:their|his|her) rooms?)",
        veto=r"1[3-9]|teen\w*|minutes|next door",
    ),
    Rule(
        SC,
        H,
        r"<CHILD>|<MINOR>",
        also=(r"<INJURY>",),
        scope="sentence",
        unless="vuln",
        veto=r"football|rugby|fell|fall|falling|playing|bike|trampoline|school|nursery|sport\w*|"
        r"accident|chickenpox|eczema|birthmark|climbing|park",
    ),
    Rule(
        SC,
        U,
        r"(?:drunk|high|off (?:his|her) face|wasted|pissed|over the limit)",
        also=(r"driving|drive|drove|in the car", r"<CHILD>|kids|children|them"),
        scope="sentence",
    ),
    Rule(
        SC,
        H,
        r"<PERP> <W3>(?:gets|is|was|gone|goes|can be) (?:violent|rough|aggressive|physical) "
        r"(?:with|towards|to|around) (?:my|the|our|his|her) <CHILD>",
        subject=False,
    ),
    Rule(
        SC,
        U,
        r"(?:shakes|shook|shaking|shake|shaken) (?:the|my|our|his|her) "
        r"(?:baby|newborn|toddler|little one)",
    ),
    # Round 9: a child named only by the crying ("i shook him hard when he wouldnt stop crying").
    Rule(
        SC,
        U,
        r"(?:i|ive|i have|i had|ive been) (?:\w+ )?(?:shook|shaken|shaking) (?:him|her|them)"
        r"(?! (?:awake|off|up|out|by the hand)) (?:\w+ ){0,7}(?:crying|cries|cried|screaming|screams|wouldnt settle|wont settle)",
    ),
    # ---------------------------------------------------------- safeguarding: adult
    Rule(
        SA,
        H,
        r"<HURTVERB>|<INJURY>",
        also=(r"<VULN>",),
        scope="sentence",
        veto=r"(?:dementia|illness|condition|disease) (?:is|has been|makes)|"
        r"(?:she|he) (?:hits|hit|shouts|screams|grabs|pushes) (?:me|out)|lovely|kind|brilliant|amazing",
    ),
    Rule(
        SA,
        H,
        r"(?:sign|signed|signing) (?:over|away)|(?:change|changed|changing) (?:her|his|their) will|"
        r"power of attorney",
        also=(r"<VULN>|got (?:her|him)|made (?:her|him)|pressur\w*",),
        scope="sentence",
        veto=r"solicitor said|we agreed|together",
    ),
    Rule(
        SA,
        H,
        r"(?:used|using|uses|exploit\w*|making (?:him|her)|makes (?:him|her)|cuckoo\w*)",
        also=(
            r"drugs|store|sell|deal\w*|money|flat|benefits|bank",
            r"<VULN>|learning disabilit\w*",
        ),
        scope="sentence",
    ),
    Rule(
        SA,
        H,
        r"(?:left|leave|leaves|leaving|found) (?:\w+ ){0,2}(?:on the floor|in (?:wet|soiled|dirty) "
        r"(?:sheets|bed|clothes|pads)|without (?:food|water|meds|a drink))",
        also=(r"<VULN>",),
        scope="sentence",
    ),
    Rule(
        SA,
        H,
        r"(?:locked|locks|locking|keeps) (?:him|her|them|my \w+) (?:locked )?(?:in|inside)",
        also=(r"<VULN>",),
        scope="sentence",
    ),
    Rule(
        SA,
        M,
        r"scam\w*|conned|con man|fraud\w*|fleec\w*",
        also=(r"<VULN>|neighbour|old",),
        scope="sentence",
    ),
    Rule(
        SA,
        H,
        r"(?:touched|touches|touching) (?:me|him|her)",
        also=(
            r"in a way|inappropriate\w*|private|didnt like|didnt want|sexual\w*|without asking",
            r"<VULN>|support worker|carer|staff|nurse",
        ),
        scope="sentence",
    ),
    # ---------------------------------------------------------- suicide: oblique plans
    # Written from phenomena (no longer needing things after a date; a farewell
    # with finality; knowing the place; measuring the means; getting means
    # without questions; "it'll all be over"; tying up loose ends; giving things
    # away for good), not from probe sentences.
    Rule(
        SP,
        U,
        r"(?:wont|will not|not going to|not gonna|shant|no point) (?:be )?(?:need|needing|using|"
        r"renewing|wanting|listening|wearing|paying for|keeping)",
        also=(
            r"(?:after|past|beyond) (?:this|next|the end of) (?:week|month|weekend|year)|this year|"
            r"any ?more|again|much longer|for good|where im going|after (?:tonight|today|tomorrow|"
            r"this|that)|after <LATER>",
        ),
        scope="sentence",
        veto=r"<BENIGNUSE>|new|bought|replac\w*|sold|selling|mov\w*|retir\w*|upgrad\w*|instead|"
        r"switch\w*|bike|train|bus|lift|from home|sober|quit|stopped|better|improv\w*|"
        r"recovered|grown|outgrown|too small|finished|passed|paid off|sunny|weather|summer|"
        r"winter is over|spring|giving me|gave me|get(?:ting)? (?:a|an|my)|van|company car|"
        r"lease|hire car|courtesy car",
        negation=False,  # the anchor is itself a negation ("won't need"), and would cancel its parts
    ),
    Rule(
        SP,
        U,
        r"goodbye|good bye|bye forever|farewell|thanks? (?:you )?for everything|"
        r"sorry for everything|tell (?:my \w+|them|everyone|her|him) (?:that )?i (?:love|loved)",
        also=(
            r"before i go|when im gone|after im gone|last (?:time|message|chance|thing)|"
            r"(?:please )?dont blame|not your fault|you did your best|for trying|you tried|"
            r"one last|wont (?:see|hear from|be around|be here)|cant do this any ?more|"
            r"i love you all|forgive me|for good|forever|im sorry|"
            # round 8 review: "i won't need next week's appointment. thank you for everything"
            r"wont (?:need|be needing|be coming to|make it to) (?:\w+ ){0,2}(?:appointment|session)s?",
        ),
        scope="message",
        veto=r"<BENIGNUSE>|moving|move to|new job|leaving do|retir\w*|graduat\w*|"
        r"finish\w* (?:therapy|treatment|sessions?)|discharg\w*|better|see you|(?<!need )(?<!needing )(?<!to )next week|"
        r"till next|until next|last session|party|airport|flight|emigrat\w*",
    ),
    Rule(
        SP,
        U,
        r"(?:i know|ive (?:found|picked|chosen)|i (?:found|picked|chose)) (?:exactly )?(?:which|where|"
        r"the (?:right |perfect )?(?:spot|place|tree|bridge))",
        also=(
            r"bridge|tree|cliffs?|station|trains?|tracks|railway|car park|flats|spot|place|woods|"
            r"river|viaduct|platform|quarry|reservoir|the sea|rooftop|roof|motorway|drop|beam|hook",
        ),
        scope="sentence",
        veto=r"<BENIGNUSE>|directions|to get|bus|to meet|meet (?:up|you|them)|picnic|walk|date|"
        r"party|wedding|photos?|parking|park (?:the|my) car|restaurant|shop|nice|lovely|views?|"
        r"beautiful|favourite|to change|get off|get on|holiday|fishing|swim\w*|for the kids",
    ),
    Rule(
        SP,
        U,
        r"(?:checked|check|checking|looked up|looking up|worked out|working out|found out|"
        r"finding out|measured|measuring|googled|googling|researched|researching|read up|"
        r"reading up|went to see|to see|timing|timed)",
        also=(
            r"how (?:high|deep|far down|tall|many (?:i|id|it|would|to take)|much (?:i|id|it would|"
            r"to take))|the height|the drop|the dose|deep enough|high enough|which tablets|"
            r"what dose|when the (?:\w+ )?trains?|train times|quickest way|least pain|painless|"
            r"hurts? the least|the depth",
        ),
        scope="sentence",
        veto=r"<BENIGNUSE>|recipe|cake|bak\w*|diy|shel\w*|curtains?|hik\w*|paddl\w*|kids|"
        r"mortgage|loan|budget|exam|revision|steps|calories|fitness|commute|late|delay\w*|"
        r"journey|ticket|holiday|trip|tide|boat|snorkel\w*|homework|school project|project|quiz|"
        r"trivia|for (?:my|the) (?:daughter|son|kids?|child|children|class)",
    ),
    Rule(
        SP,
        U,
        r"<DRUG>",
        also=(
            r"(?:different|another|other) (?:shops?|chemists?|pharmac(?:y|ies)|places?|doctors?|gps?)|"
            r"so they (?:wouldnt|dont|didnt|wont) ask|instead of taking (?:them|it)|kept back|"
            r"keeping back|building up|a supply|(?:about|around|over|nearly) (?:[2-9]\d|\d{3})|"
            r"in my hand|ready when|for when i (?:decide|need)|everything ive got|"
            r"all (?:of )?(?:them|it) (?:tonight|now|at once)",
        ),
        scope="sentence",
        veto=r"for (?:my|the) (?:kids|mum|dad|nan|gran|holiday|trip)|prescri\w*|repeat|dosette|"
        r"headache|cold|flu|period|migraine|hangover|gp|doctor|sold out|out of stock|cheaper|"
        r"price|vitamins?|the dog|the cat|vet",
    ),
    Rule(
        SP,
        U,
        r"(?:itll|it will|this will|everything will|all this will|it will all|itll all|"
        r"this will all|none of this will|ill|i will) (?:all )?(?:be (?:over|finished|sorted)|"
        r"not matter|stop hurting)",
        also=(
            r"for good|forever|not long now|by (?:this time )?(?:next \w+|tomorrow|tonight|the "
            r"morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|after (?:tonight|"
            r"today|the weekend|this weekend)|none of this|one way or another|for me",
        ),
        scope="message",
        veto=r"<BENIGNUSE>|exams?|deadline|project|interview|assignment|mov\w*|court|divorce|"
        r"treatment|chemo|results|season|wedding|building|renovat\w*|essay|dissertation|shift|"
        r"course|flight|airport|leave early|contract|debt|loan|mortgage|tax|hearing|"
        r"operation|surgery|pain will",
    ),
    Rule(
        SP,
        U,
        r"(?:tying up|tie up|tied up) (?:all )?(?:the |my )?loose ends|"
        r"(?:my |all my )?affairs (?:are )?in order|(?:put|putting|got|getting|sorting) "
        r"(?:all )?my affairs|easy for (?:them|everyone|him|her) (?:after|when)|"
        r"(?:names|labels) on (?:them|everything|it|all of it)|for whoever finds",
        veto=r"retir\w*|moving|move|new job|baby|wedding|holiday|leaving (?:my|the) job|"
        r"before (?:my|the) (?:holiday|op|operation|surgery|trip)|work|office|project|handover|"
        r"lost property|found (?:a|the) (?:wallet|purse|phone|keys)|parcel|christmas|presents",
    ),
    Rule(
        SP,
        U,
        r"(?:cant|cannot|not sure i can|dont think i can|wont be able to) (?:promise (?:(?:that )?"
        r"(?:ill|i will|to) )?)?(?:be safe|stay safe|keep safe|keep myself safe|stay alive)|"
        r"dont trust myself (?:to (?:stay alive|be safe|keep safe|stay safe)|tonight|"
        r"this weekend|on my own|alone)",
        negation=False,
    ),
    Rule(
        SP,
        U,
        r"(?:made|make|had) (?:an|another) attempt(?! (?:at|to|on (?:the|my) \w+ (?:exam|test)))|"
        r"(?:didnt work|failed|woke up|survived) <W5>(?:ill|im going to|gonna|i will|going to) "
        r"try again",
        context="si",
    ),
    Rule(SP, U, r"(?:stopped|stopping|not taking) (?:taking )?(?:my )?(?:\w+ )?<DRUG> on purpose"),
    Rule(
        SP,
        U,
        r"(?:gave|given|giving|give|left|leaving|handed) (?:away )?(?:my|all my|the) \w+",
        also=(
            r"for good|while i (?:still )?can|wont (?:be )?(?:need|needing|using|listening|wearing|"
            r"playing)|always (?:liked|wanted)|remember me|after im gone|when im gone|"
            r"no use to me|dont need (?:it|them) (?:any ?more|where)",
        ),
        scope="sentence",
        veto=r"new one|bought|upgrad\w*|outgrown|too small|moving|declutter\w*|charity|"
        r"clear\w* out|marketplace|sold|selling|birthday|christmas|present|bigger|job|"
        r"better|grown",
    ),
    # ------------------------------------------------ round 11 (risk_train10, risk_train11)
    # a lapse told in passing: "had a bit of a wobble on wednesday and cut, it wasnt bad"
    Rule(
        SH,
        H,
        r"(?:wobble|slip up|slipped up|relapse|relapsed|bad night|bad day|bad evening|bad moment|"
        r"meltdown|episode) <W5>and (?:cut|burnt|burned|scratched)(?: again)?(?= ,| \.|$| but | it )",
    ),
    # a plan behind a cover story the writer takes back: "booked a travelodge for friday just
    # for me. its not a holiday", "told him im going travelling. im not going travelling"
    Rule(
        SP,
        U,
        r"(?:its|it is|this is|its really) not (?:a |really a )?holiday(?= \.|$| ,)|"
        r"im not (?:really |actually )?going (?:travelling|on holiday|away)(?= \.|$| ,)",
        also=(
            r"booked|sorted|rehomed|told (?:him|her|them|everyone|my \w+)|travelodge|premier inn|hotel|"
            r"b and b|airbnb|the (?:cat|dog|cats|dogs)",
        ),
        scope="message",
        veto=r"work|conference|course|business|funeral|wedding|training|hospital|operation|moving|"
        r"money|afford|this year|next year|any ?more|after all|cancel\w*|covid|visa|passport|exams?",
    ),
    # nothing booked past a day: "cancelled the dentist because theres no point booking anything
    # past sunday"
    Rule(
        SP,
        U,
        r"no point (?:booking|planning|arranging|making plans|renewing|paying for) (?:anything|any \w+|it|them)? ?"
        r"(?:past|after|beyond) (?:<WHEN>|the weekend|the \d+\w*|this month)",
        veto=r"moving|emigrat\w*|leaving the country|exams?|results|until i know|till i know|contract|rota|"
        r"shifts?|redundan\w*|lease|notice",
    ),
    # affairs put in order for someone: "written all my passwords down for her", "moved my savings
    # into my sisters account so she wont have the hassle later"
    Rule(
        SP,
        U,
        r"(?:written|wrote|writing|left) (?:down )?(?:all )?my passwords (?:down )?for (?:her|him|them|my \w+)|"
        r"so (?:she|he|they|nobody|no one) (?:wont|doesnt|dont|wouldnt) have (?:the |any )?"
        r"(?:hassle|bother|faff|stress) (?:later|after|afterwards|when)",
        also=(r"passwords?|savings|accounts?|insurance|pins?|funeral|the (?:dog|cat)|rehom\w*",),
        scope="message",
        veto=r"holiday|hospital|operation|surgery|travel\w*|trip|abroad|dementia|lpa|attorney|solicitor|"
        r"handover|accountant|tax|moving|moves|new job|maternity|paternity|baby|isa|mortgage|deposit|rent|wedding",
    ),
    # disappointed to survive: "my first feeling was disappointment that the lorry missed me"
    Rule(
        SI,
        M,
        r"(?:disappoint\w*|gutted|sad|a shame|a pity|annoyed|relieved|wish(?:ed)?|hoping|hoped) "
        r"(?:that )?(?:the |it |that |they |he |she )?(?:\w+ )?(?:missed me|didnt hit me|didnt (?:kill|get) me|"
        r"(?:had )?(?:hit|killed) me)",
        veto=r"ball|game|paintball|dodgeball|snowball|water balloon|off work|day off|compensation|claim|insurance",
    ),
    # someone else's death wished on oneself: "people dying young ... why couldnt it be me instead"
    Rule(
        SI,
        M,
        r"why (?:couldnt|cant|wasnt|didnt|wouldnt) it (?:have )?(?:be|been) me(?: instead)?",
        context="death",  # someone else's death: so neither the subject nor an also part
        subject=False,
        veto=r"lottery|won|winner|chosen|picked|promot\w*|job|prize|raffle|selected|interview|audition",
    ),
    # an illness welcomed as an exit: "when the consultant said it might be serious i felt
    # relieved ... maybe thats my way out"
    Rule(
        SI,
        M,
        r"(?:thats|that is|this is|could be|might be|would be|be) my (?:way out|exit|ticket out)",
        also=(r"ill|illness|serious|cancer|diagnos\w*|tumou?r|relieved|die|dying|dead|death|consultant|scan|lump",),
        scope="message",
        veto=r"job|debt|money|escape room|loan|redundan\w*|course|degree|house|marriage|relationship|"
        r"visa|uni|university|promotion",
    ),
    # a goodbye posted: "posted a goodbye on insta and turning my phone off after this"
    Rule(
        SP,
        U,
        r"(?:posted|put|wrote|written|writing|sent) (?:a |my )?(?:goodbye|farewell)(?: \w+)? "
        r"(?:on|to) (?:insta\w*|facebook|fb|tiktok|snap\w*|twitter|my story|everyone)",
        veto=r"account|detox|break from|social media break|new phone|new number|moving|leaving (?:the|my) job|"
        r"retir\w*|emigrat\w*|holiday|hiatus|group chat",
    ),
    # a child shut in a room for hours: "ive been locking my 4 year old in her room for most of the
    # afternoon so i can lie down"
    Rule(
        SC,
        H,
        r"(?:locking|locked|lock|locks|shut|shutting|shuts) (?:my |our |the )?(?:<CHILD>|her|him|them)"
        r"(?: \w+){0,3} in (?:her|his|their|the|a) (?:room|bedroom|cupboard|shed|garage|car)",
        also=(r"<MINOR>",),
        scope="sentence",
        veto=r"1[3-9]|teen\w*|seconds|a minute|few minutes|nap|stair ?gate|baby ?gate|time out|timeout|"
        r"naughty step|toilet|the dog|the cat|puppy",
    ),
    # a child to be married: "taking my daughter to pakistan in the summer to get her married, shes 15"
    Rule(
        SC,
        H,
        r"(?:get|getting|got|have|having) (?:her|him|them) married|marry (?:her|him|them) off|"
        r"(?:forced|forcing|force|make|making|made) (?:her|him|them) (?:to )?marry",
        also=(
            r"\b(?:shes|hes|she is|he is|aged|only) (?:1[0-7]|[1-9])\b|\b(?:1[0-7]|[1-9]) ?(?:yo|years? old|yr old)\b|"
            r"underage|under 18|still at school|year (?:9|10|11)",
        ),
        scope="message",
        veto=r"documentary|film|book|history|novel|in the past|years ago|drama",
    ),
    # an adult to be married against their will: "they will take me to pakistan to marry"
    Rule(
        DA,
        H,
        r"(?:take|taking|send|sending|took|sent) me (?:\w+ ){0,3}to (?:marry|get married|be married)|"
        r"(?:force|forcing|forced|make|making) me (?:to )?(?:marry|get married)",
        veto=r"documentary|film|book|novel|drama|years ago|in the past",
    ),
    # sexual exploitation of an adult: "my friend with learning difficulties is being made to sleep
    # with her boyfriends mates"
    Rule(
        SA,
        H,
        r"(?:made|forced|pressured|pushed|making|forcing|pressuring|makes|forces) (?:her|him|them|me)? ?"
        r"(?:to )?(?:sleep with|have sex with|do stuff with|do things with) (?:\w+ ){0,2}"
        r"(?:mates|friends|men|man|blokes|guys|lads|strangers|people)",
        veto=r"documentary|film|book|novel|drama|years ago|in the past|bed ?time|sleepover|tent|sofa|couch",
    ),
)

RULES = RULES + CONCEPT_RULES


def expand(pattern: str) -> str:
    """Replace ``<NAME>`` macros (recursively) with their regular expressions."""
    previous = None
    while previous != pattern:
        previous = pattern
        pattern = re.sub(r"<([A-Z0-9]+)>", lambda m: MACROS[m.group(1)], pattern)
    return pattern


#: Lexeme classes that ``Rule.context`` refers to.
CONTEXTS: dict[str, re.Pattern[str]] = {
    "si": re.compile(
        r"\b(?:suicid\w*|kill myself|die|dying|dead|end it|end my life|ending it|end things|"
        r"ending things|overdose|pills|tablets|paracetamol|rope|jump|hang|bridge|goodbye|"
        r"do it|not be here|take my life|better off|no point|killed (?:him|her|them)self|"
        r"took (?:his|her|their) (?:own )?life)\b"
    ),
    "si_or_means": re.compile(
        r"\b(?:suicid\w*|kill myself|die|rope|pills|tablets|paracetamol|do it|end it|waiting)\b"
    ),
    "sh": re.compile(
        r"\b(?:self harm\w*|cut|cuts|cutting|(?:burn|burned|burnt|burning) myself|hurt myself|hurting myself|"
        r"harm myself|blades?|razors?|urges?|distraction list|scars?)\b"
    ),
    "sh_or_si": re.compile(r"\b(?:self harm\w*|cut\w*|suicid\w*|kill myself|hurt myself|urges?)\b"),
    "child": re.compile(
        r"\b(?:son|daughter|kids?|child|children|baby|niece|nephew|sister|brother|school|"
        r"[1-9] year old|1[0-7] year old|she s 1[0-7]|shes 1[0-7]|hes 1[0-7]|1[0-7])\b"
    ),
    "minor": re.compile(
        r"\b(?:son|daughter|kids?|child|children|baby|toddler|niece|nephew|stepson|stepdaughter|"
        r"little (?:brother|sister|one)|[1-9] year old|1[0-7] year old|(?:my|our|the) boys|"
        r"(?:my|our|the) girls)\b"
    ),
    "health": re.compile(
        r"\b(?:health anxiety|scared of dying|afraid of dying|fear of (?:death|dying)|heart attack|"
        r"cancer|illness|ill|diagnosis|hypochondria|panic attack|grief|grieving|funeral|died)\b"
    ),
    "death": re.compile(r"\b(?:die|died|dies|dying|dead|death|killed|cancer|crash|funeral|passed away)\b"),
    "harm": re.compile(r"\b(?:hurt|kill|stab|batter|revenge|pay|knife|get him|get her)\b"),
    "vuln": re.compile(r"\b(?:" + expand("<VULN>") + r")\b"),
}
