"""Tests of clinical/risk.py: one group per phenomenon, then the evaluation floors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.risk import (
    Category,
    Finding,
    Screening,
    Severity,
    Source,
    context_reasons,
    false_alarm_reasons,
    renamed_category,
    says_a_plan,
    screen_phq9_item9,
    screen_text,
    unplanned_category,
)
from clinical.risk_report import (
    category_scores,
    load,
    overall_precision,
    overall_recall,
    score,
    severity_recall,
)

EVAL = Path(__file__).with_name("risk_eval.jsonl")
HOLDOUT = Path(__file__).with_name("risk_holdout.jsonl")
PROBE = Path(__file__).with_name("risk_probe.jsonl")
PROBE2 = Path(__file__).with_name("risk_probe2.jsonl")
TRAIN = Path(__file__).with_name("risk_train.jsonl")
PROBE3 = Path(__file__).with_name("risk_probe3.jsonl")
TRAIN2 = Path(__file__).with_name("risk_train2.jsonl")

SI, SP, SH = Category.SUICIDAL_IDEATION, Category.SUICIDE_PLAN, Category.SELF_HARM
HO, SC, SA, DA = (
    Category.HARM_TO_OTHERS,
    Category.SAFEGUARDING_CHILD,
    Category.SAFEGUARDING_ADULT,
    Category.DOMESTIC_ABUSE,
)
U, H, M = Severity.URGENT, Severity.HIGH, Severity.MODERATE


def assert_flag(text: str, category: Category, severity: Severity | None = None) -> None:
    s = screen_text(text)
    assert s.is_risk, text
    assert s.category is category, (text, s)
    if severity is not None:
        assert s.severity is severity, (text, s)


def assert_clear(text: str) -> None:
    s = screen_text(text)
    assert not s.is_risk, (text, s.findings)


# ---------------------------------------------------------------- plan / intent -> urgent


@pytest.mark.parametrize(
    "text",
    [
        "I've saved my tablets",
        "im going to do it tonight, ive decided to end it",
        "I've written letters to my kids",
        "going to jump off the multi storey after work",
        "I've been giving my things away",
        "i have 60 paracetamol in a drawer ready",
        "searched how many sertraline would be enough",
        "i cant keep myself safe tonight",
        "this will be my last message. thank you for everything",
    ],
)
def test_plan_intent_means_timeline_is_urgent(text: str) -> None:
    assert_flag(text, SP, U)


# ---------------------------------------------------------------- ideation


@pytest.mark.parametrize(
    "text",
    [
        "wish I could go to sleep and not wake up",
        "everyone would be better off without me",
        "no point being here anymore",
        "i want to die",
        "i keep thinking about ending my life",
    ],
)
def test_active_and_passive_ideation_is_high(text: str) -> None:
    assert_flag(text, SI, H)


@pytest.mark.parametrize(
    "text", ["i cant go on", "i can't take it anymore", "honestly what's the point of anything"]
)
def test_vague_hopelessness_is_moderate(text: str) -> None:
    assert_flag(text, SI, M)


# ---------------------------------------------------------------- how people type


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("feeling sucidal", SI),
        ("i wanna kil myself", SI),
        ("i want to kill mysef", SI),
        ("kms", SI),
        ("i wanna unalive myself", SI),
        ("want to end it all", SI),
        ("cant go on", SI),
        ("SUICIDAL AGAIN", SI),
        ("i feel su1c1dal", SI),
        ("i want to diiiie", SI),
        ("did sh again last night", SH),
        ("been selfharming", SH),
        ("i self-harmed on monday", SH),
        ("i been cuttin again", SH),
        ("ok so work was rubbish and then i got home and just cut myself again idk why", SH),
    ],
)
def test_misspellings_slang_and_run_on_text(text: str, category: Category) -> None:
    assert_flag(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "I've saved my tablets",
        "I've been giving my things away",
        "my kids would have a better life without me in it",
        "no one would even notice if i was gone",
    ],
)
def test_indirect_phrasing(text: str) -> None:
    assert screen_text(text).is_risk


# ---------------------------------------------------------------- must not fire


@pytest.mark.parametrize(
    "text",
    [
        "this homework is killing me",
        "I could kill for a coffee",
        "my boss will murder me",
        "my boss will murder me if i'm late again",
        "dying to see the film",
        "i nearly died of embarrassment",
        "i'm going to smash this exam",
        "my phone's dying",
        "im dead tired",
        "i'm going to jump on the bus",
        "i cut my finger chopping veg",
        "i've been cutting out sugar",
        "i felt like i was dying in the panic attack",
        "i'd die for my kids",
    ],
)
def test_figures_of_speech(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal",
        "I would never hurt myself",
        "no thoughts of self-harm",
        "i dont want to die, i want the panic to stop",
        "no thoughts of suicide or self harm this week",
        "I don't have any plans to hurt myself or anyone else",
        "i'm not going to do anything stupid",
        "im not ok but i'm not going to kill myself",
    ],
)
def test_negations(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    "text",
    [
        "zero thoughts of suicide this week, mood about a 6",
        "zero urges to self harm lately",
        "suicidal thoughts? none at the moment, just tired",
        "self harm urges? no, not since the summer",
        "hurting myself isnt on the table, the kids keep me going",
        "killing myself is not something im considering, i need a holiday",
        "the song lyric 'i want to end it all tonight' is stuck in my head",
        "im not going to be here next week, im on a yoga retreat",
        "scratched my legs to bits walking through the nettles",
    ],
)
def test_round5_denials_lyrics_and_benign_contexts(text: str) -> None:
    """Round 5, by phenomenon: "zero" negates; a label question answered "none";
    a denial after the phrase ("isnt on the table"); a quote after a naming
    noun (a song lyric); a retreat is a benign absence; nettles an accident."""
    assert_clear(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("suicidal? no one would even notice if i was gone", SI),
        ("self harm isnt something i can stop, i did it again last night", SH),
        ("killing myself is the only option left", SI),
    ],
)
def test_round5_denials_do_not_reach_too_far(text: str, category: Category) -> None:
    assert_flag(text, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i'm not suicidal but i have been cutting again", SH),
        ("not gonna lie i want to kill myself", SI),
        ("im not ok i want to die", SI),
        ("its not like anyone would care if i died", SI),
        ("i can't stop thinking about killing myself", SI),
    ],
)
def test_negation_scope_ends_where_it_should(text: str, category: Category) -> None:
    assert_flag(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "I used to self-harm years ago",
        "I haven't cut for 3 years",
        "i tried to kill myself in 2015 but i'm in a good place now",
        "i've been self harm free for two years now",
        "when i was a teenager i was suicidal",
        "my ex used to hit me but i left him years ago",
    ],
)
def test_resolved_history(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I haven't cut in 2 years but last night I did", SH),
        ("i used to self harm and i did it again yesterday", SH),
    ],
)
def test_relapse_is_not_history(text: str, category: Category) -> None:
    assert_flag(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "my friend was suicidal last year",
        "watched a documentary about suicide",
        "my brother self harms and i don't know how to help",
        "my sister said she wanted to die when she failed her exam",
        "the lyrics go 'i want to die' but it's an upbeat song",
        "in the book the main character kills herself",
        "did karaoke with work, sang that song about ending it all, everyone loved it",
        "my friend sang a song about ending it all and she meant every word",
    ],
)
def test_other_people_and_media(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    "text",
    [
        "did karaoke with work, sang that song about ending it all and honestly i meant every word",
        "read her poem about wanting to die, thats exactly how i feel",
    ],
)
def test_someone_elses_words_made_ones_own_count(text: str) -> None:
    assert_flag(text, SI)


@pytest.mark.parametrize(
    "text",
    [
        "hot thought: everyone would be better off without me (90%)",
        "automatic thought - 'i should just kill myself'",
        "my friend killed herself and now i keep thinking i should do the same",
    ],
)
def test_own_thoughts_in_thought_records_count(text: str) -> None:
    assert screen_text(text).is_risk


def test_quoted_thought_without_risk_is_clear() -> None:
    assert_clear("my automatic thought was 'I'm worthless'")


@pytest.mark.parametrize(
    "text",
    [
        "i'll kill him if he eats my leftovers again haha",
        "if i have to sit through one more meeting i'll kill myself lol",
        "I could kill my brother for eating my chocolate",
    ],
)
def test_jokes(text: str) -> None:
    assert_clear(text)


# ---------------------------------------------------------------- other categories


@pytest.mark.parametrize(
    ("text", "category", "severity"),
    [
        ("I'm going to hurt him", HO, H),
        ("I want to kill my neighbour", HO, H),
        ("i've got a knife and i'm going round there tonight to get him", HO, U),
        ("my partner hits our son", SC, H),
        ("i left my 2 year old home alone", SC, U),
        ("my carer takes money from my purse", SA, H),
        ("my husband hit me", DA, H),
        ("he put his hands round my neck", DA, U),
        ("my partner checks my phone and won't let me see friends", DA, M),
    ],
)
def test_harm_to_others_safeguarding_domestic_abuse(
    text: str, category: Category, severity: Severity
) -> None:
    assert_flag(text, category, severity)


@pytest.mark.parametrize(
    "text",
    [
        "my toddler hit me by accident",
        "my partner is really supportive",
        "my carer helps me with shopping",
        "my son fell over and hurt his knee",
        "he's never hurt me though",
    ],
)
def test_everyday_family_life_is_clear(text: str) -> None:
    assert_clear(text)


def test_manual_notes_about_the_patient_count() -> None:
    note = "client reports she has been cutting again most nights"
    assert not screen_text(note).is_risk
    assert screen_text(note, Source.MANUAL).category is SH


# ---------------------------------------------------------------- result shape


def test_findings_most_severe_first_and_triggers_are_substrings() -> None:
    text = "He hit me again last night. I've saved up my tablets and I want to die"
    s = screen_text(text)
    assert s.category is SP and s.severity is U
    assert {f.category for f in s.findings} >= {SP, SI, DA}
    ranks = [list(Severity).index(f.severity) for f in s.findings]
    assert ranks == sorted(ranks)
    assert s.triggers == s.findings[0].triggers
    for f in s.findings:
        assert f.triggers
        assert all(t in text for t in f.triggers)


def test_no_risk_screening() -> None:
    s = screen_text("")
    assert s == Screening(())
    assert not s.is_risk
    assert s.category is None and s.severity is None and s.triggers == ()


def test_findings_are_frozen() -> None:
    f = Finding(SI, H, ("x",))
    with pytest.raises(AttributeError):
        f.severity = U  # type: ignore[misc]


@given(st.text(max_size=200))
@settings(max_examples=40, deadline=None)
def test_any_text_screens_and_triggers_are_substrings(text: str) -> None:
    s = screen_text(text)
    for f in s.findings:
        assert all(t and t in text for t in f.triggers)


# ---------------------------------------------------------------- PHQ-9 item 9


@pytest.mark.parametrize(("score_", "severity"), [(0, None), (1, H), (2, U), (3, U)])
def test_phq9_item9(score_: int, severity: Severity | None) -> None:
    s = screen_phq9_item9(score_)
    assert s.severity is severity
    if severity is not None:
        assert s.category is SI
        assert s.triggers == (f"PHQ-9 item 9 = {score_}",)


@pytest.mark.parametrize("bad", [-1, 4, 10])
def test_phq9_item9_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError, match=r"0\.\.3"):
        screen_phq9_item9(bad)


# ---------------------------------------------------------------- evaluation floors


def test_evaluation_set_meets_quality_floors() -> None:
    examples = load(EVAL)
    assert len(examples) >= 400
    assert sum(not e.risk for e in examples) / len(examples) >= 0.40
    scored = score(examples)
    urgent, _ = severity_recall(scored, Severity.URGENT)
    high, _ = severity_recall(scored, Severity.HIGH)
    assert urgent.value >= 0.97, urgent
    assert high.value >= 0.95, high
    assert overall_precision(scored).value >= 0.85
    assert overall_recall(scored).value >= 0.95
    for cat in Category:
        precision, recall = category_scores(scored, cat)
        assert recall.total > 0, cat
        assert precision.value >= 0.8 and recall.value >= 0.8, (cat, precision, recall)


def test_holdout_set_meets_quality_floors() -> None:
    """Written before the concept rules; the rules were then generalised on its misses.

    Measured after generalising: urgent 1.000, high 1.000, precision 1.000,
    recall 1.000.  The floors leave a small margin.  Because the set was used
    for tuning, these figures are optimistic; see ``risk_probe.jsonl``.
    """
    examples = load(HOLDOUT)
    assert len(examples) >= 300
    assert sum(not e.risk for e in examples) / len(examples) >= 0.45
    scored = score(examples)
    urgent, _ = severity_recall(scored, Severity.URGENT)
    high, _ = severity_recall(scored, Severity.HIGH)
    assert urgent.value >= 0.97, urgent
    assert high.value >= 0.95, high
    assert overall_precision(scored).value >= 0.95
    assert overall_recall(scored).value >= 0.95
    for cat in Category:
        precision, recall = category_scores(scored, cat)
        assert precision.value >= 0.85 and recall.value >= 0.8, (cat, precision, recall)


def test_first_probe_rules_were_not_tuned_on_it() -> None:
    """The rules were never tuned on this file (the learned layer now trains on it).

    Measured: recall 0.425 (17/40), precision 0.944 (17/18).  A tripwire
    against regressions, *not* a target; do not tune rules on this file.
    """
    examples = load(PROBE)
    assert len(examples) >= 60
    scored = score(examples)
    assert overall_precision(scored).value >= 0.85
    assert overall_recall(scored).value >= 0.35


def assert_rules_floors(path: Path, *, precision: float, recall: float, urgent: float) -> None:
    """The rules alone on a probe of at least 200 messages, 40% of them hard negatives."""
    examples = load(path)
    assert len(examples) >= 200
    assert sum(not e.risk for e in examples) / len(examples) >= 0.4
    scored = score(examples)
    assert overall_precision(scored).value >= precision
    assert overall_recall(scored).value >= recall
    assert severity_recall(scored, Severity.URGENT)[0].value >= urgent


def test_second_probe_is_measured_not_tuned() -> None:
    """risk_probe2.jsonl: written before round 2 and not tuned on in round 2.

    Rules alone, measured: precision 0.975 (78/80), recall 0.619 (78/126),
    urgent 0.652 (30/46). Since round 3 the learned layer trains on it, and
    one rule false alarm on it ("said my goodbyes at my leaving do") is vetoed:
    precision 0.987 (78/79). A tripwire just under that, *not* a target.
    """
    assert_rules_floors(PROBE2, precision=0.93, recall=0.58, urgent=0.58)


def test_third_probe_is_measured_not_tuned() -> None:
    """risk_probe3.jsonl: written before round 3 changed anything; unseen until round 4.

    Rules alone, measured after round 3: precision 0.774 (24/31), recall 0.174
    (24/138), urgent 0.148 (8/54). In round 5 its rule false alarms were read
    and two phenomena fixed ("zero" as a negation, a retreat as a benign
    absence): precision 0.828 (24/29), recall unchanged, so it is no longer an
    unseen measure. The rules alone catch little unseen text; the learned layer
    carries recall (tests/clinical/test_risk_model.py). A tripwire, *not* a target.
    """
    assert_rules_floors(PROBE3, precision=0.80, recall=0.16, urgent=0.14)


def test_fast_path_never_changes_a_result() -> None:
    import clinical.risk as risk

    texts = [e.text for e in load(PROBE) + load(PROBE2) + load(TRAIN) + load(TRAIN2) + load(HOLDOUT)[::2]]
    gated = [screen_text(t) for t in texts]
    original = risk._may_hold_risk
    try:
        risk._may_hold_risk = lambda text: True  # type: ignore[assignment]
        ungated = [screen_text(t) for t in texts]
    finally:
        risk._may_hold_risk = original
    assert gated == ungated


@pytest.mark.parametrize(
    "text", ["thanks, see you soon", "thanks for the session x", "did my diary sheet this morning"]
)
def test_ordinary_lines_take_the_fast_path(text: str) -> None:
    import clinical.risk as risk

    assert not risk._may_hold_risk(text)
    assert_clear(text)


@pytest.mark.parametrize(
    "text",
    [
        "i wont be needing my library card after this month",
        "im sorry for everything. please dont blame yourselves",
        "i know which bridge, and what time its quiet",
        "i went and checked how high the top floor is",
        "got more codeine from a different chemist so they wouldnt ask questions",
        "itll all be over by the weekend, for good",
        "just tying up the loose ends so theres nothing left for them to sort",
        "i cant promise ill stay safe tonight",
        "gave my camera to my niece, she always wanted it and i wont be using it",
        "i feel calm, i have made my peace",
        # being with the means after an everyday clause; doubt about being here on a day
        "was hanging the washing then sat in the garage with the rope for an hour",
        "lay on the bed with all my tablets for an hour just looking at them",
        "sunday dread again. im not sure ill be around for monday",
        "i wont be around for christmas. ive made my peace with it",
        "i wont be here by the time of our next session",
        "i wont be here much longer, i cant face work anymore",  # work named, not as being away
        "i wont be around for christmas, the hospital cant help me",
    ],
)
def test_oblique_plans_are_urgent(text: str) -> None:
    assert_flag(text, SP, U)


@pytest.mark.parametrize(
    "text",
    [
        "i wont be needing my bus pass after this month, bought a car",
        "sorry for everything last week, see you next week",
        "i know which bridge to cross to get to the station",
        "checked how high the shelf is before drilling",
        "got more calpol from a different chemist, the first had sold out",
        "itll all be over by the weekend, the exams finish friday",
        "tying up loose ends at work before the holiday",
        "gave my old bike to my nephew, i bought a new one",
        "this homework is killing me",
        "i made my peace with my brother at christmas",
        "said my goodbyes at the leaving party, what a night",
        "i wont need my car after this week, work are giving me a van",
        "i got enough ibuprofen for my period cramps",
        "checked how high the climbing frame is for my sons class project",
        "i get intrusive thoughts of hurting people, my therapist says its ocd",
        "the dog scratched my arms when i bathed him",
        "my husband grabbed my arm to stop me falling on the ice",
        "the kids are always starving after swimming lessons",
        "i sat with the skipping rope while the kids played",
        "we sat on the boat with the rope for an hour waiting for the tide",
        "sat in the waiting room with my tablets for an hour",
        "sat with my meds for a while deciding whether to take them as prescribed",
        "i wont be here next week, im away with work",
        "im not going to be here for christmas, were going to my in laws",
        "not sure ill be around for monday, might be working a double shift",
    ],
)
def test_ordinary_lookalikes_of_oblique_plans_are_clear(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("im not suicidal, just fed up", "negation"),
        ("i used to self harm years ago", "history"),
        ("my friend self harms and i worry", "someone else"),
        ("this homework is killing me", "idiom"),
        ("the form asked if i had thoughts of ending my life and i put no", "question answered no"),
        ("hot thought: 'i want to die'. rated it 60, evidence against: i got up and went out", "thought record"),
        # round 7's everyday purposes
        ("bought charcoal for the bbq on saturday", "benign context"),
        ("took two paracetamol for my period cramps", "benign context"),
    ],
)
def test_false_alarm_reasons_name_the_filter(text: str, reason: str) -> None:
    assert not screen_text(text).is_risk
    assert reason in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "i want to die",
        "had pasta for tea",
        "",
        "my plants need watering",
        "not suicidal. but i want to die",
    ],
)
def test_no_false_alarm_reasons_when_flagged_or_nothing_to_set_aside(text: str) -> None:
    assert false_alarm_reasons(text) == ()


# ---------------------------------------------------------------- round 6


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i tried to kill myself in 2019. i have a plan to jump off the bridge", SP),
        ("tried to hang myself when i was 16. ive bought a rope and ill finish it on friday", SP),
        ("i attempted suicide 3 years ago. i have the pills ready and im going to take them", SP),
        ("back in 2015 i was in hospital after an attempt. i have decided to end it", SP),
        ("when i was 15 i overdosed. i want to die", SI),
        ("my dad hit me when i was a kid, he hits my little sister now", SC),
        ("i was abused as a child. my husband strangled me last week", DA),
    ],
)
def test_a_past_attempt_or_abuse_does_not_hide_what_is_said_now(text: str, category: Category) -> None:
    """History is read within its own clause only. Round 6 read it across sentences and
    these went unflagged by the rules (two by the whole screener too): a past attempt
    beside a present plan is the disclosure that matters most."""
    assert_flag(text, category)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i overdosed at 16 and last night i did it again", SP),
        ("at 17 i took an overdose and i have the pills ready again tonight", SP),
        ("six years clean and i cut again last night", SH),
    ],
)
def test_round6_history_does_not_hide_what_is_back(text: str, category: Category) -> None:
    assert_flag(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "saw a programme about county lines gangs last night, terrifying",
        "the documentary about elderly people being scammed made my mum cry",
    ],
)
def test_round6_someone_elses_story_is_not_safeguarding(text: str) -> None:
    assert_clear(text)


def test_a_story_that_is_happening_at_home_is_not_someone_elses() -> None:
    assert_flag("watched a programme on county lines and it sounds like what my son is caught up in", SC)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("swallowed a handful of my tablets last night, not to die, just to punish myself", SH),
        ("im 15 and my stepdad hits me with a belt when mum is out", SC),
    ],
)
def test_round6_category_says_what_the_words_say(text: str, category: Category) -> None:
    assert_flag(text, category)


def test_round6_category_rename_leaves_adults_and_plans_alone() -> None:
    assert renamed_category(SP, "i have the tablets ready for saturday") is SP
    assert renamed_category(DA, "my husband hits me, i'm 34") is DA
    assert renamed_category(DA, "i'm 15 and my boyfriend hits me") is SC
    assert renamed_category(SP, "i took them but i didnt want to die") is SH


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("for the record, no thoughts of ending anything, just tired", "negation"),
        ("my husband is gentle, nobody is hurting me at home", "negation"),
        ("i'd never act on the rage, i just go quiet", "negation"),
        ("six years clean from self harm this month", "history"),
        ("balanced thought: one bad day does not make me a bad mum", "thought record"),
        ("had the intrusive image of pushing someone off the platform again", "intrusive thought"),  # round 7: its own reason
        ("gad7 is 6 and i put 0 on the last phq question", "thought record"),
        ("the podcast about the nurse who harmed babies was hard to listen to", "topic"),
        ("see you thursday", "benign context"),  # booking the next session (was: no reason)
        ("bought rope for the tyre swing", "benign context"),
    ],
)
def test_round6_message_context_holds_back_the_model(text: str, reason: str) -> None:
    """The message's context (no risk word needed) is a reason to set a weak model hit aside."""
    assert reason in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "i want to die",
        "six years clean and i cut again last night",
        "not suicidal. but i want to die",
        "i bought the rope today",
        "i'm safe for now but i've written the letters and know which bridge",  # what follows "but" counts
        "i overdosed at 16 and this time i have a plan",  # a present plan beside history
        "the documentary made me realise my uncle is doing the same thing to my daughter",  # close to home
        "that netflix series about coercive control, thats exactly what my husband does",
    ],
)
def test_round6_message_context_is_not_found_where_it_is_not(text: str) -> None:
    assert false_alarm_reasons(text) == ()


# ---------------------------------------------------------------- round 7


@pytest.mark.parametrize(
    "text",
    [
        "the thought of shoving a stranger down the escalator pops into my head and i'm horrified",
        "random image of stabbing my husband while i was peeling spuds, it makes me feel sick. why does my brain do this",
        "what if i drop the baby over the banister. i would never, i love her, but the thought wont leave",
        "my ocd has latched onto the kitchen knives again this week",
        "keep getting flashes of pushing a stranger in front of the bus, i hate these thoughts, ive never hurt anyone",
        # round 9: harm images told the way people tell them (letting go of the pram, turning the
        # wheel, "the smothering thought", a dread of doing something), with the checking,
        # avoidance and compulsion around them
        "crossing the humber bridge i always get 'what if i just turned the wheel'. it terrifies me every time",
        "whenever i push the pram near the canal i get an image of letting go of it. i dont go that way anymore",
        "the scalding picture came back when i made his tea, i turned the pan handle in about six times. compulsion i know",
        "i get this dread that ill do something to my niece, ive never so much as shouted at her. i keep making excuses not to babysit",
        "had the smothering thought again when he napped on me. i moved him to the cot and sat in the hall. why is my brain doing this",
        "flash of holding him under in the bath again, i adore him, i passed him to his dad",
        "the thought of stepping in front of the tube pops into my head. i dont want to die, it terrifies me",
    ],
)
def test_round7_an_intrusive_thought_holds_back_the_model(text: str) -> None:
    """An OCD-style thought of harm the writer is distressed by and disowns."""
    assert not screen_text(text).is_risk
    assert "intrusive thought" in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "i keep getting the intrusive thought to jump and tonight i stood on the platform edge meaning it",
        "the thought of jumping pops up and ive started looking up the bridge times",
        "its not the ocd. the thoughts of hurting him feel good and i know which pub he drinks in",
        "the intrusive thoughts about killing myself arent scary anymore, they feel like a relief",
        "everyone says its my ocd but i want to die and i think about it all day",
        "the image of the knife used to horrify me, now ive got one under my pillow ready",
        "i get intrusive thoughts of suicide every day and im scared of them",  # one's own death: ask
        # an act told after the thought (review of round 7: both were held back)
        "my ocd tells me i'll hurt my son but honestly i've been shaking him when he cries and i cant stop",
        "my ocd says i'll hurt her but i hit her last night when she wouldnt stop crying",
        "the thought of hitting my son pops up. i hit him yesterday and he had a bruise",
        "intrusive thoughts about jumping but tonight i took all my tablets",
        # round 9: a harm image with no fear, denial or named OCD is not called intrusive (the
        # reason raises the model's bar to 0.99, so it needs the writer's own horror at it)
        "crossing the humber bridge i always get 'what if i just turned the wheel'. i grip it til my knuckles go white",
        "whenever i push the pram near the canal i get an image of letting go of it. i take the long way now",
        # round 9: written against its new phrasings and distress words, a first version of
        # which set several of these aside: a wish to die, a thought owned, the means put ready
        # ... one's own death wished, whatever the thought is called
        "i dont want to be here anymore, the image of jumping keeps popping up and it scares me",
        "the image of jumping keeps popping up and it scares me, i dont want to be here anymore",
        "keep picturing stepping off the platform, it scares me but some days i want to die",
        # the thought owned, or the means put ready
        "i get this dread that ill do something to him and honestly part of me wants to",
        "every time i bath the baby i get a flash of holding her under and i dont want to stop it",
        "the what if i swerve thought is back and i kind of like it now",
        "i adore him but i keep picturing stabbing him while he sleeps and ive put the knife under the bed",
    ],
)
def test_round7_an_intrusive_thought_yields_to_intent(text: str) -> None:
    """A present plan, act or intent, or a thought that no longer frightens, is not held back."""
    assert "intrusive thought" not in false_alarm_reasons(text)
    assert "benign context" not in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        # review of round 7: a plan or means the rules find is not a thought (round 6 caught it)
        "intrusive thoughts again. also i've got 40 co-codamol in my drawer for when i'm ready",
        "my ocd is bad this week and ive saved up 30 of my tablets",
    ],
)
def test_round7_an_intrusive_thought_never_sets_aside_a_plan(text: str) -> None:
    result = screen_text(text)
    assert result.is_risk and result.category is Category.SUICIDE_PLAN


def test_round7_a_story_brought_home_is_not_someone_elses() -> None:
    """Missed by rounds 6 and 7 until the review: the story is the patient's way out."""
    text = "the news story about the bridge jumper made me realise thats my way out, im going there tonight"
    assert "topic" not in false_alarm_reasons(text)


def test_round7_not_the_ocd_is_not_an_ocd_veto() -> None:
    """"it's not like my ocd thoughts" no longer reads as the OCD veto of the harm rules."""
    assert "benign context" not in false_alarm_reasons(
        "its not the ocd. the thoughts of hurting him feel good and i know which pub he drinks in")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("my best mate attempted years ago at uni, shes doing great now", "someone else"),
        ("a colleagues husband died by suicide and im organising the card", "someone else"),
        ("the headlines about the stabbing are everywhere, i've stopped reading", "topic"),
        ("the villain in the game tortures people, bit much", "topic"),
        ("as a prison officer i found a lad who had cut up on the wing, it was dealt with", "topic"),
        ("reading a thriller where the husband plots to poison his wife", "topic"),
    ],
)
def test_round7_other_peoples_harm_holds_back_the_model(text: str, reason: str) -> None:
    """Someone else's harm that needs no action: the news, a friend's past, a job, a character."""
    assert reason in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "since my friend took her life i keep thinking she had the right idea and i should follow her",
        "the news story about the man who jumped, i went to that bridge last night and climbed over the railing",
        "as a nurse i know which meds would do it and ive been taking a few home each shift",
        "as a teacher i reported her bruises twice and nothing happened, today she had a black eye",
        "my cousin overdosed last year and im reading up on what he took",
        "watched a film where the girl kills herself and i felt jealous of her",
        "my brother killed himself in may and ive been working out how to do it the same way",
        "my daughters dad hits her but shes ok",  # harm going on now is not someone else's past
    ],
)
def test_round7_other_peoples_harm_yields_to_the_patients_own(text: str) -> None:
    """The story brought to the patient's own risk, or harm that goes on, is not set aside."""
    reasons = false_alarm_reasons(text)
    assert "someone else" not in reasons and "topic" not in reasons, reasons


@pytest.mark.parametrize(
    "text",
    [
        "giving my things away and calling it a declutter, really i dont want anyone to sort it after im gone",
        "i tell everyone the tablets are for my back but ive been saving them up",
        "bought rope, its not for the garden whatever i told my wife",
        # beside words of one's own death or a plan (review of round 7)
        "since the new baby arrived i think about not being here",
        "went up the car park for the views, i have a plan for friday",
        "rope swing for the kids is up. i tested it with my own weight and thought how easy it would be",
    ],
)
def test_round7_an_everyday_purpose_given_as_a_cover_is_not_benign(text: str) -> None:
    assert "benign context" not in false_alarm_reasons(text)


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("ive got the pills ready for friday", True),
        ("written letters to my kids, theyre in the drawer", True),
        ("once the kids are back at school thats when", True),
        ("i wont be needing the car after this week", True),
        ("i just want to not exist anymore", False),
        ("i feel like a burden, everyone would be better off", False),
        ("im not going to do anything, i just think about being dead", False),
    ],
)
def test_round7_a_plan_is_in_the_words(text: str, plan: bool) -> None:
    assert says_a_plan(text) is plan


def test_round7_what_an_unplanned_finding_is_named() -> None:
    assert unplanned_category("cut deeper than usual last night, its the only thing that helps") is SH
    assert unplanned_category("i feel like a burden, everyone would be better off dead") is SI
    assert unplanned_category("i just want to disappear") is SI
    assert unplanned_category("the hook in the hallway held my weight") is None  # an oblique plan keeps its name


# ---------------------------------------------------------------- round 8


@pytest.mark.parametrize(
    "text",
    [
        "so fed up with the rain and being stuck indoors, i just want it to be spring",
        "i'm knackered and miserable, work was relentless and nobody said thank you",
        "my mood has dipped since the clocks went back, it's dark when i leave and dark when i get home",
        "the kids were up all night teething, im shattered",
        "bit down in the dumps, weather innit",
    ],
)
def test_round8_everyday_low_mood_holds_back_the_model(text: str) -> None:
    """Low mood with no word of death, harm, means, a plan or a goodbye is not risk."""
    assert not screen_text(text).is_risk
    assert "low mood" in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "i've been so fed up lately and i've started giving my stuff away",
        "feeling flat and numb. i scratched my arms till they bled last night just to feel something",
        "im so lonely since moving here that some nights i think about just not being here anymore",
        "so tired of being tired. sorted the passwords and left a note for my brother where to find them",
        "bone tired of being a person, id like to be switched off",
        "feeling worthless after the appraisal. i've been stockpiling my pills since",
        # a word that is not a mood: the flat (a home), how low the fence is, the barrier is down
        "i've got the charcoal, just need a day when the flat is empty",
        "been back to the viaduct three evenings running, measured how low the fence is with my hand",
        "ive been timing how long the level crossing barrier is down",
    ],
)
def test_round8_low_mood_yields_to_risk_told_beside_it(text: str) -> None:
    assert "low mood" not in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "if someone tells you they're suicidal do you have to tell their gp? asking because of my confidentiality worries",
        "what happens if i say something worrying in a session, do you ring the police?",
        "do you get many people who want to hurt themselves? i bet it's hard to hear",
        "for my psychology essay, why do men die by suicide more than women?",
    ],
)
def test_round8_a_general_question_holds_back_the_model(text: str) -> None:
    assert not screen_text(text).is_risk
    assert "hypothetical" in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "asking for me, not an essay: how many paracetamol does it take to actually do it",
        "how long would it take to bleed out from the wrist? i need to know tonight",
        "would it be a safeguarding issue if my partner locks me in when he goes to work? he's done it all week",
        "what would happen if i stopped taking my insulin? i'm thinking of doing it on purpose",
    ],
)
def test_round8_a_question_asked_for_oneself_is_not_general(text: str) -> None:
    assert "hypothetical" not in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "my friend asked me what the difference is between self harm and suicide, i didnt know what to say",
        "what does 'passive suicidal ideation' actually mean? it came up in a book",
    ],
)
def test_round8_a_risk_word_as_the_subject_of_a_question_is_not_a_disclosure(text: str) -> None:
    assert_clear(text)
    assert "hypothetical" in false_alarm_reasons(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("what's the difference between self harm and suicide? i'm asking because i've been doing one", SH),
        ("what does it mean if i self harm every night", SH),
        ("what does my self harm mean", SH),
    ],
)
def test_round8_a_question_about_ones_own_risk_still_flags(text: str, category: Category) -> None:
    assert_flag(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "worry tree homework done. most of my worries were hypothetical so i let them go",
        "we did the downward arrow. i got to 'if i fail i'll be alone forever' and then we looked at the evidence",
        "column 3 of the record says 'i can't go on like this' but reading it back it's about the commute",
    ],
)
def test_round8_worksheets_hold_back_the_model(text: str) -> None:
    assert not screen_text(text).is_risk
    assert "thought record" in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "thought record: alone on the bridge last night. thought 'just jump'. belief 90%. i'm going back tonight",
        "hot thought: 'they'd be better off without me'. balanced thought: i can't find one. i've got the pills ready",
        "behavioural experiment was meant to be going out. instead i stood at the station edge for an hour working out the timing",
        "phq9 item nine was a 1 this time, it's crept back in a couple of days",
        "gad7 is 6 and on the last phq question i put a 2",
    ],
)
def test_round8_a_worksheet_that_carries_present_risk_is_not_held_back(text: str) -> None:
    assert "thought record" not in false_alarm_reasons(text)


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("question 9 i put a 3 because i do think about it every day", Severity.URGENT),
        ("the bit on the form about being better off dead, i ticked more than half the days this week", Severity.URGENT),
        ("phq9 item nine was a 1 this time, it's crept back in a couple of days", Severity.HIGH),
        ("item 9 - i put 2", Severity.URGENT),
        ("i put a 3 on the suicide question this time", Severity.URGENT),
        ("question 9 about being better off dead, i put 3", Severity.URGENT),
    ],
)
def test_round8_a_screening_item_answered_above_0_is_risk(text: str, severity: Severity) -> None:
    """PHQ-9 item 9 above 0 is itself a risk signal, told in words too (as screen_phq9_item9)."""
    assert_flag(text, SI, severity)


@pytest.mark.parametrize(
    "text",
    [
        "phq 9 was 14 today, i scored 3 on sleep and 2 on appetite",
        "item 9, the dead or hurting yourself one, zero from me again this fortnight",
        "you asked if i've had thoughts of suicide. no, none, it's more that i'm exhausted",
        "they asked at the a&e triage if i was having thoughts of self harm. i wasn't, i'd just sprained my ankle",
        "question 9 about being better off dead, i put 0 again",
        # the answer belongs to the item next to it (review)
        "item 9 was 0 again, question 2 was 3 though because sleep is rubbish",
    ],
)
def test_round8_a_screening_item_answered_0_is_not_risk(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    "text",
    [
        "they asked if i'd had thoughts of suicide. no, i lied, it's every day",
        "the nurse asked if i was having thoughts of self harm. i wasn't honest, i cut every night",
    ],
)
def test_round8_an_answer_taken_back_is_not_a_no(text: str) -> None:
    assert screen_text(text).is_risk


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("low ebb. not eating, not sleeping, and the thought of ending it is there all day now", SI),
        ("i'm giving my clothes to the charity shop because i won't be needing them", SP),
    ],
)
def test_round8_a_negation_or_an_everyday_purpose_does_not_reach_past_what_it_is_about(
    text: str, category: Category
) -> None:
    """"not eating, not sleeping, and ..." negates the eating, not the thought of ending it;
    the charity shop is a cover when "i won't be needing them" is the reason."""
    assert_flag(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "im not, and never have been, suicidal",
        "gave my old clothes to the charity shop",
        "suicide isnt something that crosses my mind, its more that i feel flat",
    ],
)
def test_round8_denials_and_purposes_still_set_aside(text: str) -> None:
    assert_clear(text)


@pytest.mark.parametrize(
    "text",
    [
        "co-codamol for my back, i've got 3 boxes now and i know what i'm saving them for",
        "bought a length of rope from the hardware shop, told the man it was for the garden. it isn't",
        "practising knots for the boat course and i made a noose instead. kept it in my bag",
        "the gp upped my dose but honestly i'm thinking about taking the whole packet",
        "tapering off my meds without telling the gp because i want to feel bad enough to finally do it",
    ],
)
def test_round8_an_everyday_purpose_yields_to_a_cover(text: str) -> None:
    assert "benign context" not in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "bought rope for the garden, it isnt long enough",
        "bought paracetamol for my headache, its not really helping",
        "gave my old clothes to the charity shop, i won't be needing them in the new job",
    ],
)
def test_round8_a_cover_is_told_not_guessed(text: str) -> None:
    """A purpose stays a purpose unless the message says it is not the purpose."""
    assert not screen_text(text).is_risk
    assert "benign context" in false_alarm_reasons(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("i had to have stitches after the dog bit me, 8 of them", "benign context"),
        ("the hospital have put me on a waiting list for the scan, should be about 6 weeks", "benign context"),
        ("got the big kitchen knife sharpened at the market, it goes through tomatoes like butter now", "benign context"),
        ("the train was delayed because of a person on the line, took me three hours to get home", "benign context"),
        ("karaoke last night, i murdered 'i will survive'", "topic"),
        ("finished a little life last night and sobbed. the self harm bits were so hard to read", "topic"),
        ("the ocd's latest trick is making me think i might poison the kids' packed lunches. i know i won't",
         "intrusive thought"),
        ("sometimes near the edge of the platform i think 'just step'. i step back and hold the bench. it frightens me",
         "intrusive thought"),
    ],
)
def test_round8_medical_talk_songs_and_intrusive_thoughts_hold_back_the_model(text: str, reason: str) -> None:
    assert not screen_text(text).is_risk
    assert reason in false_alarm_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "listening to 'hurt' on repeat and doing what the song says, with a razor",
        "that podcast about the stepdad, that's my stepdad. he still comes into my room",
        "watched 13 reasons why again on repeat and started recording my own tapes",
        "the voice saying 'just step' isn't a fear any more, it's what i want",
        "kind of wish the scan had come back bad, then id have a way out nobody could blame me for",
    ],
)
def test_round8_a_song_a_story_or_a_thought_brought_home_is_not_held_back(text: str) -> None:
    reasons = false_alarm_reasons(text)
    assert not {"topic", "someone else", "intrusive thought", "benign context"} & set(reasons), reasons


def test_round8_emoji_are_read_as_their_words() -> None:
    assert_flag("took 20 💊 and some vodka, bye", SP)
    assert_clear("chopping veg for the stew 🔪🥕 smells amazing")
    assert_clear("took my meds 💊 👍")


@pytest.mark.parametrize(
    ("text", "category", "severity"),
    [
        ("don't worry it was only a small overdose", SP, U),
        ("i took a small overdose last night", SP, U),
        ("don't tell anyone but i cut again last night", SH, None),
        ("mum only hits us with the belt when we're really bad", SC, H),
        ("my husband hits us when he's been drinking", DA, H),
        ("i won't need next week's appointment. thank you for everything", SP, U),
        ("when we were kids dad hit us and now he hits my little brother", SC, H),
        ("my brother has learning difficulties and his 'mates' take his benefits every week", SA, H),
        ("i'd be lying if i said i hadn't thought about not being here", SI, H),
        ("i envy people who die in accidents", SI, H),
    ],
)
def test_round8_review_minimised_and_plural_disclosures(text: str, category: Category, severity: Severity | None) -> None:
    """Minimised ("only a small overdose"), reassured or secret ("don't worry", "don't tell
    anyone" are not denials), told of "us" at home, a goodbye that gives up the next
    appointment: all flag. Round 8 missed each."""
    assert_flag(text, category, severity)


@pytest.mark.parametrize(
    "text",
    [
        "don't worry, i'm not suicidal",
        "dont panic, i'm not going to hurt myself",
        "my mum hits us with pillows in a pillow fight",
        "dad used to hit us when we were kids, he's 80 now and we get on",
        "my dad hit us when we were little, he's a different man now",
        "the film was about a small overdose",
        "i won't need next week's session, i feel so much better, thank you for everything",
        "won't make it to next week's appointment, on holiday. thanks for everything so far!",
        "my brother with learning difficulties takes his benefits to the bank himself now, proud of him",
        "jealous of people who die young in films, romantic nonsense",
        "i'd be lying if i said i didn't enjoy the holiday",
    ],
)
def test_round8_review_reassurance_still_denies_and_history_stays_history(text: str) -> None:
    assert_clear(text)


# ---------------------------------------------------------------- round 9


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("the dread that ill do something to him is constant, i shook him hard tonight when he wouldnt stop crying", True),
        ("i shook her when she was crying, i feel awful", True),
        ("i was shaking him awake because he wouldnt stop snoring", False),
        ("i shook them off and kept running, the crowd was screaming", False),
    ],
)
def test_round9_shaking_a_child_named_only_by_the_crying(text: str, flags: bool) -> None:
    found = [f for f in screen_text(text).findings if f.category is Category.SAFEGUARDING_CHILD]
    assert bool(found) is flags
    if flags:
        assert found[0].severity is Severity.URGENT


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("5 years self harm free this month!! bought myself a little cake to mark it", False),
        ("3 months clean from cutting today, proud", False),
        ("5 years self harm free until last night when i cut again", True),
        ("i was 5 years self harm free but i cut again last night", True),
        ("no self harm in that whole time until this week, now im cutting every night", True),
        ("score breakdown since you asked: sleep 3, energy 3, mood 1, self harm thoughts 0", False),
        ("the question about being better off dead makes me uncomfortable but its a firm not at all from me", False),
        ("since you asked: sleep 3, mood 3, thoughts of ending it 3", True),
        ("the question about being better off dead, honest answer is 2 most days", True),
        ("scores were 0 for most things but the suicide one i put 3", True),
    ],
)
def test_round9_time_free_and_items_scored_zero(text: str, flags: bool) -> None:
    """Years "self harm free" are history unless the clause says until when; an item scored 0
    (in a list, "a firm not at all") answers the question, a score above 0 does not."""
    assert screen_text(text).is_risk is flags


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("my nephew has been self harming, his mum took him to the gp and camhs are involved now", True),
        ("a girl in my tutor group disclosed self harm. i logged it on cpoms and the dsl has taken it from there", True),
        ("my colleague said she feels hopeless, i gave her the samaritans number and shes seeing her gp tomorrow", True),
        # the patient's own risk, or someone else's that goes on, is not handed on
        ("i overdosed last night, my mum rang 111 and im home now, i wanted to die", False),
        ("my friend self harms and i rang her mum but honestly im cutting again too", False),
        ("social services are involved but nothing has changed, he still hits her", False),
        # the patient is the one handed on (round 9 review)
        ("my sister called 999 after she found me, the crisis team are involved now", False),
        ("my husband took me to a&e last night after what i did, the mental health team are involved now", False),
        # a present wish to die or a present hit, even someone else's, is not set aside
        ("my nephew told his mum he wants to die, she took him to the gp and camhs are involved now", False),
        ("a girl in my tutor group said her dad hits her. i logged it on cpoms and the dsl has taken it from there", False),
    ],
)
def test_round9_someone_elses_risk_handed_on(text: str, held: bool) -> None:
    """Someone else's risk, already with the people whose job it is, holds the model back
    (a context reason only: the rules' own findings never read it)."""
    assert ("someone else" in context_reasons(text)) is held


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("going to sleep and not waking up sounds really peaceful tbh", True),
        ("i wish i could fall asleep for good", True),
        ("sat on the bathroom floor and burned my forearm with a lighter again", True),
        ("going to sleep and not waking up is my biggest fear since dads heart attack", False),
        ("burned my arm with the iron doing the shirts", False),
        ("nicked my leg with a razor shaving, bled everywhere", False),
        ("i used to burn my arms with a lighter years ago, not for a long time now", False),
    ],
)
def test_round9_sleep_wished_for_and_the_tools_of_self_harm(text: str, flags: bool) -> None:
    """Not waking up wished for without a "want"; "with a lighter" is not a kitchen accident."""
    assert screen_text(text).is_risk is flags


# ---------------------------------------------------------------- round 10

# Own risk told after someone else's, screening answers, a negation that closed its clause,
# habits that are not jokes, relapse, household grievances, feared deaths and chores.
ROUND10_OWN_RISK_ANSWERS_HABITS = [
    # own risk told after someone else's
    ("my best mate has been cutting, i sent her the shout number, and ive started again too", True),
    ("my brother self harms and so do i", True),
    ("my sister has been self harming, it scares me too", False),
    ("my cousin self harms, my aunt worries and my mum does too", False),
    # a screening item answered above 0, or a 0 taken back
    ("item 9 - i put 0 but its more like a 2 if im honest", True),
    ("phq9 last q = 3", True),
    ("question 9 2 pages in and im bored already", False),
    ("did the phq9 tonight, last q 0, the rest 2s", False),
    ("did the gad7 and core-10, put 'not at all' for the ones about hurting myself", False),
    # a negated verb that closed its own clause
    ("told my gp i was fine but i wasnt, the thoughts of ending it are back every night", True),
    ("i wasnt, im not suicidal at all", False),
    # a habit is not a joke
    ("lol i hope i dont wake up every single night", True),
    ("wanting to kms again, fun times 🙃", True),
    ("lol if i have to redo this spreadsheet ill kill myself", False),
    # a relapse after years clean is not history
    ("relapsed after 2 years clean from cutting, its nearly every night now", True),
    ("3 years clean from cutting now and no relapse", False),
    # "if he ... my yoghurt": a grievance; "if he touches her" is a threat
    ("im going to kill my flatmate if she eats my cheese again", False),
    ("im going to kill him if he touches my daughter again", True),
    # a feared death, or a chore one would rather die than do
    ("im terrified im going to die of a heart attack, my chest keeps tightening", False),
    ("tonight im going to die, ive got everything ready", True),
    ("honestly id rather die than do a presentation in front of the board", False),
    ("id rather die than carry on like this", True),
]

ROUND10_PLANS_AND_ACTS = [
    # plans told without the usual words (round 10, from the labelled sets' out-of-fold misses)
    ("no more 💊 tonights it", True),
    ("tonights it for the diet, back on track tomorrow", False),
    ("mind is made up. ⚰️ friday", True),
    ("made my mind up, im taking the job in leeds", False),
    ("💊💊💊💊 taken. sorry for everything", True),
    ("finish what i started last year, this time it will work", True),
    ("need to finish what i started with the decorating", False),
    ("mind is made up. going through with it this weekend", True),
    ("going through with the divorce, decided last night", False),
    ("im not safe right now", True),
    ("lay down on the railway line last night until a train horn", True),
    ("everything sorted for the 3rd, cat rehomed and the flat cancelled", True),
    ("everything sorted for the 3rd, the venue and the cake are booked", False),
    ("picked the hymns for my funeral today", True),
    ("picked the hymns for dads funeral today", False),
    ("tying up loose ends, deleted my socials and left my passwords for my sister", True),
    ("tying up loose ends at work before my holiday", False),
    ("if you never hear from me again, thank you for trying", True),
    ("if anyone asks tell them it wasnt their fault", True),
    ("ill be with mum again soon, ive decided", True),
    ("ill be with mum soon, just parking", False),
    ("the hook in the garage would hold my weight, i checked", True),
    ("dads oxycodone is still in the cupboard, i counted them", True),
    ("counted my tablets into the dosette for the week", False),
    ("got my prescription early again, havent taken any, keeping them", True),
    ("sat here with all my tablets and a bottle of wine", True),
    ("bought a one way ticket to the cliffs, not coming back", True),
    ("bought a one way ticket to lisbon, new job starts monday", False),
    ("handed my notice in, for everything really", True),
    # ideation, self-harm, harm to others, safeguarding
    ("honestly dying sounds peaceful right now", True),
    ("dying sounds awful, im so scared of it", False),
    ("if i didnt wake up tomorrow it would be a relief", True),
    ("i want to go to sleep and never wake", True),
    ("i scratch my arms when it all gets too much", True),
    ("i bang my head when i feel overwhelmed at work meetings lol no i mean i get a headache", True),
    ("new scratches on my thighs that i did last night", True),
    ("my cuts are getting deeper every time", True),
    ("my legs look like a barcode now", True),
    ("got a new blade in my kit, used it twice this week", True),
    ("ive been following my ex home from the gym", True),
    ("i want to run my exs new boyfriend off the road", True),
    ("punched the wall right next to her head", True),
    ("her coach tells her not to tell anyone about the lifts home", True),
    ("the kids upstairs are left alone for days", True),
    ("two lads have taken over his flat to deal from it", True),
    ("he pinned me down again last night", True),
    ("i lied to a&e about how my wrist got broken", True),
]

ROUND10_IDENTIFYING = [
    ("my friend killed herself last year and honestly i get why she did it", True),
    ("since my cousin took his own life i keep thinking he had the right idea", True),
    ("my sister took her own life and i will never understand why she did it", False),
    # psychoeducation: "i get it now" is understanding, not identification
    ("i get it now, the harm thoughts are intrusions, not intentions. pushing them away feeds them", False),
]

ROUND10_FROM_TRAIN9 = [
    # from risk_train9 (round 10): misses
    ("he threw his dinner at the wall next to me because it was cold", True),
    ("theyd be better off with a dad who isnt me", True),
    ("secretly hoping i dont wake up after the operation on friday", True),
    ("popped the blade out of my sharpener again last night", True),
    ("i keep 'accidentally' cutting my fingers at work, nobody asks", True),
    ("he had me against the fridge by my throat last night", True),
    ("stretching the nappies again this week, money ran out", True),
    ("havent taken her to school since september, she stays home with me", True),
    ("wrote my note last night. doing it tomorrow while hes at work", True),
    ("id be glad if i didnt wake up, i wouldnt do anything though", True),
    ("my mum moved in with him, he keeps her phone and i havent been able to talk to her alone for months", True),
    ("going to burn myself tonight when everyones asleep", True),
    ("started following him out to his car after work, thinking about what id do", True),
    # ... and false alarms
    ("diary: i wrote 'whats the point of me'. belief now about 15%", False),
    ("ticked 0 on the better off dead one again", False),
    ("the hurting yourself question, honestly its a 0, always has been", False),
    ("filled in the gad7. the ending my life item i put not at all", False),
    ("had dark thoughts in second year of uni, counselling helped and i havent had them since", False),
    ("doing a course on self harm for work, the stats are grim", False),
    ("is suicidal ideation the same thing as intrusive thoughts?", False),
    ("id rather die than go back to that spin class", False),
    ("our defence is suicidal, three goals conceded again", False),
    ("im hopeless with money so he does the budget, i asked him to", False),
    ("as a nurse on the ward i see self harm every shift", False),
    ("last time i felt like that was 2018, i know my warning signs now", False),
    ("this time last year i was cutting most nights. i havent done it since march", False),
    ("self harm was my thing at 15, im 50 now", False),
]

ROUND10_NOT_RISK = [
    "my 16 year old has a driving instructor, a man in his 50s, very patient",
    "wanted to throw my phone at the wall",
    "went back to the razor aisle for my legs",
    "my mum and dad threw a party at the village hall",
    "the cruse volunteer suggested i write letters to dad, wrote the first one about the day he died",
    "wrote a letter to 15 year old me who wanted to die. im really different now",
    "reading my old journal, pages about wanting to be dead. i dont feel like that now",
    "back when i was drinking i threatened a bouncer. 8 years sober now",
    "the self harm cycle diagram you drew made so much sense",
    "sliced my thumb deboning a chicken",
    "keep a box of paracetamol in my bag for migraines",
    "thought: 'id be better off dead than go back to that job'. i dont believe it now, it was the dread",
]

# Round 10 review: each of the new rules, attacked with everyday words in the same shapes.
ROUND10_EVERYDAY_WORDS_IN_THE_NEW_SHAPES = [
    "ive decided to stop my pills, my gp agreed it was time",
    "tried to finish the job at work but failed, the client moved the deadline",
    "nervous about the op but im going through with it tomorrow",
    "everything sorted for the 14th, cancelled the old insurance, so excited for the new flat",
    "tying up loose ends at work before my maternity leave, deleted my old files",
    "tell my son it wasnt his fault the dog got out",
    "ill be with mum soon, cant wait for christmas",
    "the door frame bar holds my weight fine for pull ups",
    "got my sertraline today and counted them to make sure the pharmacy gave me 28",
    "sat with all my meds sorting them for the week",
    "one way ticket to perth, not coming back, new life!",
    "handed my notice in today, thanks for everything everyone",
    "nans death seemed peaceful, the nurses were lovely",
    "if i went to the gym it would be good for me",
    "i wouldnt mind if i went to the party after all",
    "i want to fall asleep and stay asleep through the night for once",
    "i should have finished it yesterday, the essay is late",
    "i tried the homework and should have done it earlier",
    "going to cut tonight, the grass is so long",
    "i bite my nails when i feel overwhelmed",
    "the budget cuts are getting deeper every year",
    "my football kit, used it twice this week already",
    "following the satnav home took ages",
    "not been back to school since september, the anxiety is too much",
    "my son tells her not to tell anyone about the surprise party",
    "threw a ball at my son and he caught it",
    "i cant speak to her alone, shes always got the kids with her",
    "picked the kitten up by the neck like the vet showed me",
    "i lied to my gp about my drinking",
    "id be ok if i didnt wake up till 10 tomorrow",
]

ROUND10_EVERYDAY_LIFE = [
    ("smashed my 10k pb this morning, legs are dead", "benign context", True),
    ("doing intermittent fasting days again, down 4 lbs, starving by 6pm", "benign context", True),
    ("crisis card is in my purse, havent needed it", "benign context", True),
    ("fasting for ramadan and honestly i want to die, i cant do this anymore", "benign context", False),
    ("convinced this headache is a tumour, googled symptoms all night", "health anxiety", True),
    ("terrified im having a heart attack every time my chest goes tight", "health anxiety", True),
    ("scared ill die before my kids grow up and part of me wants to die anyway", "health anxiety", False),
    ("if i dont hit the target my manager will have my head on a plate", "idiom", True),
    ("my kids keep jumping off the sofa, theyll break their necks", "idiom", True),
    # a safety plan is not, by itself, safety (a disclosure written into one)
    ("safety plan homework - couldnt think of reasons to live, left the letters out instead", "benign context", False),
]

ROUND10_INTRUSIVE_BY_CHECKING = [
    ("keep getting the thought of steering into the bus queue, ive never done anything like that", True),
    ("went back twice to check i hadnt hit the lollipop lady. the what ifs are exhausting", True),
    ("every pothole and i think ive hit someone, i know its ocd", True),
    ("the thought of putting a pillow over her face came at the night feed, i hate the thought", True),
    ("knife in my hand and 'what if i grabbed him' - its ego-dystonic, you said", True),
    # the writer's own wish or intent beside it is not an intrusive thought
    ("the thought of steering into the lorry keeps coming and part of me wants to", False),
    ("went back to check i hadnt hit anyone and honestly i dont want to be here anymore", False),
]

ROUND10_JOB_DIY_BLOOD_SPORT = [
    "prison officer, got headbutted by a prisoner today, im fine, adrenaline though",
    "hit my thumb with the hammer putting up shelves",
    "got a black eye at rugby training, mum thinks ive been fighting",
    "gave blood today, nearly fainted lol",
]

ROUND10_CONTEXT_DOES_NOT_EXCUSE = [
    ("hit my hand with the hammer on purpose doing the shelves", "benign context"),
    ("been fasting for days to punish myself", "benign context"),
    ("skipping my insulin on purpose again", "benign context"),
    ("he has power of attorney and takes all her pension", "benign context"),
    ("im sure ill die soon, ive stopped eating", "health anxiety"),
    ("my husband will kill me if i leave", "idiom"),
]

# A settled row or a child's ordinary discipline, not where someone was hurt.
ROUND10_SETTLED = [
    ("huge row about the bins, we both said stuff, made up by the morning", True),
    ("did time outs instead of shouting, she lost her ipad for the night", True),
    # ... not where someone was hurt, grabbed or frightened
    ("huge row, he grabbed my wrist, made up by the morning like always", False),
    ("he apologised after he hit me, he always does", False),
    ("naughty step didnt work so i smacked him hard", False),
    ("we made up again but im scared of him when hes drinking", False),
]

# A tool named alone is not everyday context.
ROUND10_TOOLS = ["took a stanley knife to my arm again last night", "hit him with the hammer when he came at me"]


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        *ROUND10_OWN_RISK_ANSWERS_HABITS,
        *ROUND10_PLANS_AND_ACTS,
        *ROUND10_IDENTIFYING,
        *ROUND10_FROM_TRAIN9,
        *((text, False) for text in ROUND10_NOT_RISK),
        *((text, False) for text in ROUND10_EVERYDAY_WORDS_IN_THE_NEW_SHAPES),
    ],
)
def test_round10_rules(text: str, flags: bool) -> None:
    assert screen_text(text).is_risk is flags


@pytest.mark.parametrize(
    ("text", "reason", "given"),
    [
        *ROUND10_EVERYDAY_LIFE,
        *((text, "intrusive thought", given) for text, given in ROUND10_INTRUSIVE_BY_CHECKING),
        *((text, "benign context", True) for text in ROUND10_JOB_DIY_BLOOD_SPORT),
        *((text, reason, False) for text, reason in ROUND10_CONTEXT_DOES_NOT_EXCUSE),
        *((text, "benign context", given) for text, given in ROUND10_SETTLED),
        *((text, "benign context", False) for text in ROUND10_TOOLS),
    ],
)
def test_round10_context_reasons(text: str, reason: str, given: bool) -> None:
    """Context reasons only ever hold back the learned layer below its veto bar."""
    assert (reason in context_reasons(text)) is given


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i tried in 2019 and lately i think i should have done it properly", Category.SUICIDAL_IDEATION),
        ("the plane dropped and part of me wished it would go down", Category.SUICIDAL_IDEATION),
        ("went back to the blade a few times this week, its fine honestly", Category.SELF_HARM),
        ("when i hate myself i take a whole box of laxatives", Category.SELF_HARM),
        ("my 15 year old is seeing a man in his 20s she met online", Category.SAFEGUARDING_CHILD),
        ("my 14 yr olds boyfriend is 23", Category.SAFEGUARDING_CHILD),
        ("he threw a mug at my son last night", Category.SAFEGUARDING_CHILD),
        ("he says if i go to my sisters for christmas hell kill himself and itll be on me", Category.DOMESTIC_ABUSE),
        ("had the urge to chuck my drink at the lad on the train, it wasnt the ocd thing", Category.HARM_TO_OTHERS),
    ],
)
def test_round10_phenomena_without_the_usual_words(text: str, category: Category) -> None:
    assert category in {f.category for f in screen_text(text).findings}


# Round 11: disclosures from risk_train10 and risk_train11 that no rule had words for (the
# sets' own lines, in-sample for these rules), and what else each new shape must still let
# through or hold back.
ROUND11_DISCLOSURES = [
    ("lol not great this week, boyfriend broke my ribs i think. anyway hes cooking tea now", Category.DOMESTIC_ABUSE),
    ("had a bit of a wobble on wednesday and cut, it wasnt bad, i cleaned it properly", Category.SELF_HARM),
    ("booked a travelodge for friday just for me. its not a holiday", Category.SUICIDE_PLAN),
    ("sorted the cat out with my mate, told him im going travelling. im not going travelling", Category.SUICIDE_PLAN),
    ("i cancelled the dentist and the mot because theres no point booking anything past sunday", Category.SUICIDE_PLAN),
    ("moved my savings to my sisters account and written all my passwords down for her", Category.SUICIDE_PLAN),
    ("posted a goodbye on insta and turning my phone off after this. its ok", Category.SUICIDE_PLAN),
    ("near miss on the motorway and my first feeling was disappointment that the lorry missed me",
     Category.SUICIDAL_IDEATION),
    ("people dying young on the news and i think why couldnt it be me instead", Category.SUICIDAL_IDEATION),
    ("when the consultant said it might be serious i felt relieved, maybe thats my way out",
     Category.SUICIDAL_IDEATION),
    ("ive been locking my 4 year old in her room most of the afternoon so i can lie down", Category.SAFEGUARDING_CHILD),
    ("his family are taking my daughter to pakistan in the summer to get her married, shes 15",
     Category.SAFEGUARDING_CHILD),
    ("my brothers say they will take me to pakistan to marry, the ticket is booked", Category.DOMESTIC_ABUSE),
    ("my friend with learning difficulties is being made to sleep with her boyfriends mates",
     Category.SAFEGUARDING_ADULT),
    ("he went through my messages once, is that a red flag or am i being dramatic", Category.DOMESTIC_ABUSE),
    ("my husbands been controlling with money, he checks what i spend and gets annoyed", Category.DOMESTIC_ABUSE),
    ("my new boyfriend wants my location on all the time and sulks if i see my mates", Category.DOMESTIC_ABUSE),
    ("he doesnt like me going out without him and gets sulky", Category.DOMESTIC_ABUSE),
    ("these arent the ocd thoughts, these are real angry thoughts about hurting my stepmum", Category.HARM_TO_OTHERS),
    ("saw my ex crossing the road, had a thought about running him over and i didnt hate it",
     Category.HARM_TO_OTHERS),
    ("ive found myself thinking id like to smack him in the car park after the match", Category.HARM_TO_OTHERS),
    ("is it bad that i keep wanting to cut even though ive been clean 2 years", Category.SELF_HARM),
    ("saw a picture of cuts on tiktok and it set off all the old urges", Category.SELF_HARM),
]

ROUND11_NOT_RISK = [
    "had a wobble on the bike and cut my knee",
    "had a bad day and cut class",
    "booked a hotel in york for the conference, its not a holiday",
    "im not going travelling this year, money is tight",
    "off to spain on friday, its not a holiday its a work trip",
    "no point booking anything past friday until i know my shifts",
    "written my passwords down for my husband before the operation so he wont have the hassle",
    "gutted the ball missed me in dodgeball lol",
    "why couldnt it be me who won the raffle",
    "my sister got the part, why couldnt it be me",
    "redundancy might be my way out of this job",
    "posted a goodbye on insta, taking a social media break for a month",
    "i shut the dog in the kitchen and the kids in the lounge",
    "we made the kids sleep with the light on",
    "id love to hit the gym more this week",
    "id like to punch the wall some days when work is like this",
    "my partner and i share locations, its handy for the school run",
    "i went through my messages with her to find the address",
    "the intrusive thoughts about hurting my baby came again, its the ocd, i know im not dangerous",
    "i keep wanting to cut my hair short",
    "i really want to cut down on sugar",
    "i used to keep wanting to cut, but thats years ago now",
    "the advert set off my urges to smoke",
    "seeing the pub set off all the old urges, i nearly went in for a drink",
    "i paid the deposit now so he wont have the hassle later",
    "my partner gets upset when i talk to my mum about our problems",
    "my mum went through my messages with me to find the address",
    "id love to hit my 10k steps today",
    # the rules' own false alarms on the same sets (round 11 review)
    "my gran moved into the hospice on monday. she squeezed my hand yesterday when i put her radio on",
    "the thoughts about stabbing people in the office come when im stressed, they repulse me",
    "im scared to be alone with my toddler because of the thoughts, but the perinatal team said its classic ocd",
    "the last time i felt suicidal was before the divorce, nothing since",
    "im scared ill go back to how i was when i wanted to die, but right now im ok, just anxious about relapsing",
    "for the history section: i had a really bad patch at 19 when i took an overdose and spent a night in hospital",
    "the worksheet had an example 'i feel like hurting myself' and asked what youd tell a friend",
    # false alarms of older rules, from the same sets
    "feel like giving up on the course, my tutor says im behind on everything",
    "whats the point of trying with dating, it always ends the same way with me getting ghosted",
    "writing my dissertation on self harm in prisons and some of the reading is heavy going",
    "im literally going to die if i have to hear that song in the shop one more time",
    "you asked me to rate urges to self harm on the diary card. 0 all week again",
]

# The older shapes those fixes narrowed still flag.
ROUND11_STILL_RISK = [
    "i feel like giving up on life",
    "whats the point of trying anymore",
    "im going to die if i have to go on like this",
    "you asked me to rate urges to self harm on the diary card. 8 most days",
    "im not great at hurting myself properly",
    "he squeezed my wrist till it bruised",
    "im scared to be alone with him when hes been drinking",
    "the last time i cut myself was last night",
    "i took an overdose at 2am",
    "my example for the worksheet: 'i feel like hurting myself' - thats me most nights",
]


@pytest.mark.parametrize(("text", "category"), ROUND11_DISCLOSURES)
def test_round11_disclosures(text: str, category: Category) -> None:
    assert category in {f.category for f in screen_text(text).findings}


@pytest.mark.parametrize(
    ("text", "flags"),
    [*((text, False) for text in ROUND11_NOT_RISK), *((text, True) for text in ROUND11_STILL_RISK)],
)
def test_round11_rules(text: str, flags: bool) -> None:
    assert screen_text(text).is_risk is flags


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("my partner hit my daughter with his belt again tonight. hes still in the house", Severity.URGENT),
        ("my nan says a night carer slaps her and shes back there tonight", Severity.URGENT),
        ("he hits me when hes drunk and hes on his way home now", Severity.URGENT),
        ("he hits me when hes drunk", Severity.HIGH),
        ("i cut myself tonight because of what he said", Severity.HIGH),  # self-directed: as the rule says
    ],
)
def test_round11_harm_toward_others_with_the_danger_present_is_urgent(text: str, severity: Severity) -> None:
    """Round 11: a high finding about someone else's harm, with the danger now or tonight, is
    urgent (in the labelled sets, 27 urgent messages named right for one high named urgent)."""
    assert screen_text(text).severity is severity


def test_round10_an_intrusive_thought_owned_is_not_one() -> None:
    """"It's not like the thoughts you said are OCD, I actually want to" is the writer's own urge."""
    text = "i get urges to slap my husband when he belittles me. its not like those thoughts you said were ocd, i actually want to"
    assert "intrusive thought" not in context_reasons(text)
    assert screen_text(text).is_risk


def test_round10_someone_elses_night_shift_is_not_the_patients_job() -> None:
    """A mum's night shift is when the risk happens, not the patient's job."""
    text = "going to cut tonight when mums on her night shift, got everything laid out"
    assert "benign context" not in context_reasons(text)
    assert screen_text(text).is_risk
