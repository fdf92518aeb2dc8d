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
    """The held-out figures of docs/classification.md, held: bribe recall 0.93 (the target),
    macro-F1 and satisfied recall at the level reached (issue 17's targets of 0.90 and 0.92
    are not met: see the docs)."""
    _, held_out = split(corpus())
    report = evaluate(trained, held_out)
    assert report.per_category["bribe"].recall >= 0.93, report.per_category
    assert report.macro_f1 >= 0.86, report.per_category
    assert report.per_category["satisfied"].recall >= 0.85, report.per_category
    assert report.per_category["satisfied"].precision >= 0.85, report.per_category


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
]


@pytest.mark.parametrize("reply", SHORT_APPROVALS)
def test_a_word_or_two_of_approval_is_satisfied(trained, reply):
    result = trained.classify(reply)
    assert result.category == "satisfied" and result.confidence >= 0.9


@pytest.mark.parametrize(("reply", "category"), LOOK_ALIKES)
def test_negated_or_sarcastic_praise_is_not_satisfied(trained, reply, category):
    assert trained.classify(reply).category == category


def test_ok_alone_acknowledges_rather_than_approves(trained):
    assert trained.classify("ok").category == "unclear"


@pytest.mark.parametrize(
    ("reply", "category"),
    [
        ("STOP", "opt_out"),
        ("band karo", "opt_out"),
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
