"""The reply classifier: rules for the clear cases, a model trained on the shipped corpus,
seriousness between complaints, and its figures on the held-out split."""

import io
import json
import sys

import pytest
from django.core.management import call_command

from cfmp.feedback import classifier as classifier_module
from cfmp.feedback.classifier import Classifier, corpus, split, train_model
from cfmp.feedback.evaluation import evaluate
from cfmp.feedback.optout import is_opt_out_request


@pytest.fixture(scope="module")
def trained():
    train, _ = split(corpus())
    return Classifier(train_model(train))


def test_the_corpus_has_every_category_in_every_style():
    examples = corpus()
    pairs = {(e.category, e.style) for e in examples}
    categories = set(classifier_module.CATEGORIES)
    assert {c for c, _ in pairs} == categories
    for style in ("urdu", "roman", "english", "mixed"):
        assert {c for c, s in pairs if s == style} == categories
        assert sum(e.style == style for e in examples) >= 300  # several hundred per style
    train, held_out = split(examples)
    assert 0.1 < len(held_out) / len(examples) < 0.3
    assert not {e.text for e in train} & {e.text for e in held_out}


def test_held_out_figures(trained):
    """The held-out figures of docs/classification.md (issue 17's third look), held: bribe
    recall 0.95 (target 0.93: met), macro-F1 0.896 (target 0.90: not met), satisfied
    recall 0.91 (target 0.92: not met at this look, 0.93 at the second; the replies added
    traded it for precision, 0.86 → 0.92), and opt-outs: 30 of 34 read and obeyed (4
    before the stop rule was widened), none wrongly."""
    _, held_out = split(corpus())
    report = evaluate(trained, held_out)
    assert report.per_category["bribe"].recall >= 0.93, report.per_category
    assert report.macro_f1 >= 0.89, report.per_category
    assert report.per_category["satisfied"].recall >= 0.91, report.per_category
    assert report.per_category["satisfied"].precision >= 0.90, report.per_category
    assert report.per_category["opt_out"].recall >= 0.85, report.per_category
    assert report.per_category["opt_out"].precision == 1.0, report.per_category


SHORT_APPROVALS = [
    "مطمئن",
    "ٹھیک ہے",
    "۱ ٹھیک ہے",
    "کوئی شکایت نہیں",
    "bht acha tajurba tha",
    "1 G",
    "1 ji sir",
    "shukria bhai",
    "koi masla nahi",
    "all good thanks",
    "no complaints",
    "1 no complaints",
    "fine hai",
    "شکریہ sir",
    # Issue 17's three kinds in the three styles, in the spellings citizens use.
    "mutmaeen hun",
    "Mutmaen hoon ji",
    "مطمن ہوں",
    "satisfied hain",
    "1 theek",
    "1 thik hai",
    "۱ ٹھیک",
    "1 good",
    "koi shikayt nai ji",
    "کوئی مسئلہ نہیں",
    "no complaint",
    "nothing to complain about",
]
LOOK_ALIKES = [
    ("nahi mutmain", "other_complaint"),
    ("NAHI SATISFIED", "other_complaint"),
    ("ٹھیک نہیں", "other_complaint"),
    ("not happy", "other_complaint"),
    ("theek hai par clerk ne badtameezi ki", "misbehaviour"),
    ("shukriya, 5000 le kar kaam kiya", "bribe"),
    ("بہت اچھا، پانچ ہزار لے کر کام کیا", "bribe"),
    ("great, still waiting after a month", "delay"),
    # Negated, or a complaint named and not denied: dissatisfied, by rule.
    ("mutmaeen nahi hoon", "other_complaint"),
    ("theek nahi tha", "other_complaint"),
    ("مطمئن نہیں", "other_complaint"),
    ("not satisfied at all", "other_complaint"),
    ("bad experience", "other_complaint"),
    ("overall bekaar", "other_complaint"),
    ("شکایت ہے", "other_complaint"),
    ("masla hai", "other_complaint"),
    ("I have a complaint", "other_complaint"),
    # Typed with the Arabic keyboard's heh: "the staff's manner was not fine".
    ("عمله كا رويه ٹهيك نهيں تها", "misbehaviour"),
    # Praise said in scorn, then the complaint.
    ("bohat acha, 3000 le kar kaam kiya", "bribe"),
    ("very good, they took 2000 for a signature", "bribe"),
    ("wah ji wah, 2 mahine se chakkar", "delay"),
    ("شاباش، کلرک نے سب کے سامنے ذلیل کیا", "misbehaviour"),
]


@pytest.mark.parametrize("reply", SHORT_APPROVALS)
def test_a_word_or_two_of_approval_is_satisfied(trained, reply):
    result = trained.classify(reply)
    assert result.category == "satisfied" and result.confidence >= 0.9


@pytest.mark.parametrize(("reply", "category"), LOOK_ALIKES)
def test_negated_or_sarcastic_praise_is_not_satisfied(trained, reply, category):
    assert trained.classify(reply).category == category


@pytest.mark.parametrize(
    "reply", ["ok", "jee sir", "ہاں", "good night", "Allah hafiz sir", "سبحان اللہ", "..", "3"]
)
def test_a_reply_that_says_nothing_of_the_service_is_unclear(trained, reply):
    """An acknowledgement, a greeting or a blessing is not an approval ("good night" is
    not "good"), nor is a sign or a number other than the survey's 1 and 2."""
    result = trained.classify(reply)
    assert result.category == "unclear" and result.confidence >= 0.9


def test_praise_that_denies_a_bribe_is_satisfied_unless_a_complaint_follows(trained):
    praise = trained.classify("patwari ne koi paisa nahi liya, kaam foran ho gaya")
    assert praise.category == "satisfied" and 0.0 <= praise.confidence <= 1.0
    assert trained.classify("kisi ne rishwat nahi mangi, shukriya").confidence <= 1.0
    but = trained.classify("paisa kisi ne nahi manga lekin 3 hafte lag gaye")
    assert but.category == "delay"


@pytest.mark.parametrize(
    ("reply", "category"),
    [
        ("STOP", "opt_out"),
        ("band karo", "opt_out"),
        ("do not contact me again", "opt_out"),
        ("میرا نمبر ہٹا دیں", "opt_out"),
        ("mera number list se nikal do", "opt_out"),
        ("wrong no h", "not_availed"),
        ("غلط نمبر ہے جی", "not_availed"),
        ("1", "satisfied"),
        ("۱", "satisfied"),
        ("2", "other_complaint"),
    ],
)
def test_clear_cases_are_decided_by_rules(trained, reply, category):
    result = trained.classify(reply)
    assert result.category == category and result.confidence >= 0.9


def test_a_bribe_comes_with_its_amount_and_only_a_bribe_does(trained):
    result = trained.classify("clerk ne file agay karne ke 2000 rupay liye")
    assert (result.category, result.bribe_amount) == ("bribe", 2000)
    satisfied = trained.classify("bohat shukriya, 500 fee ki raseed mili, kaam waqt pe hua")
    assert satisfied.category == "satisfied" and satisfied.bribe_amount is None


def test_the_more_serious_complaint_wins(trained):
    both = trained.classify("teen chakkar lagwaye aur phir 1000 rupay le kar kaam kiya")
    assert both.category == "bribe"


def test_a_denied_bribe_is_not_a_bribe(trained):
    assert trained.classify("koi paisa nahi diya, kaam aasani se ho gaya").category != "bribe"
    assert trained.classify("کسی نے پیسے نہیں مانگے، شکریہ").category != "bribe"


def test_confidence_is_a_probability(trained):
    for text in ("kon ho aap?", "wrong number", "bohat der lagi"):
        assert 0.0 <= trained.classify(text).confidence <= 1.0


def test_classify_command_prints_one_json_object_per_line(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    classifier_module.forget_loaded_classifier()
    lines = "1\nclerk ne 5k liye\nSTOP\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    call_command("classify")
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["category"] for r in results] == ["satisfied", "bribe", "opt_out"]
    assert results[1]["bribe_amount"] == 5000
    assert set(results[0]) == {"category", "confidence", "bribe_amount"}
    # Trained at first use and kept: the next process loads it instead of training.
    assert list((tmp_path / "classifier").glob("model-*.pickle"))
    classifier_module.forget_loaded_classifier()


def test_a_reply_is_an_opt_out_exactly_when_the_inbound_path_opts_it_out(trained):
    """The inbound path opts a number out when `is_opt_out_request` says so; the classifier
    reads a reply as an opt-out then and only then, so no feedback says "opted out" of a
    citizen who is still surveyed."""
    texts = [e.text for e in corpus()]
    for text, result in zip(texts, trained.classify_many(texts), strict=True):
        assert (result.category == "opt_out") == is_opt_out_request(text), text


@pytest.mark.parametrize(
    "reply",
    [
        "galti se 1 daba diya, mera to koi kaam hua hi nahi",
        "pressed 1 by mistake, still waiting for my licence",
        "۱ غلطی سے چلا گیا، عملے نے بدتمیزی کی",
    ],
)
def test_a_one_taken_back_is_not_satisfied(trained, reply):
    assert trained.classify(reply).category != "satisfied"


def test_a_record_that_is_wrong_is_not_a_wrong_number(trained):
    """Only a short reply that says the message reached the wrong person is read as "not
    availed" by rule; a complaint about a number written wrong is left to the model."""
    from cfmp.feedback.approvals import says_wrong_person
    from cfmp.feedback.normalise import tokens

    assert not says_wrong_person(tokens("mera number ghalat likha hai record mein"))
    assert not says_wrong_person(tokens("wrong number likh diya form par, ab correction ke liye"))
    assert says_wrong_person(tokens("sorry u have the wrong number"))
