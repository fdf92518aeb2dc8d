"""Precision, recall and F1 per category, and the confusion matrix, on labelled replies;
and the same by cross-validation on the training split, where choices are made (the
held-out split only scores what was chosen)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cfmp.feedback.classifier import CATEGORIES, Classifier, Example, train_model


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    per_category: dict[str, Scores]
    macro_f1: float
    accuracy: float
    confusion: Counter[tuple[str, str]]  # (true, predicted) → count


def evaluate(classifier: Classifier, examples: list[Example]) -> Report:
    predicted = [r.category for r in classifier.classify_many([e.text for e in examples])]
    return report(examples, predicted)


def cross_validate(
    examples: list[Example],
    *,
    folds: int = 5,
    train: Callable[[list[Example]], Any] = train_model,
    seed: int = 0,
) -> tuple[Report, list[str]]:
    """Every example predicted by a classifier trained on the other folds (stratified by
    category), through the whole classify path: rules, model, lexicon, seriousness.
    Returns the pooled report and the predictions, in the examples' order."""
    from sklearn.model_selection import StratifiedKFold

    categories = [e.category for e in examples]
    predicted = [""] * len(examples)
    folding = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for fit_rows, test_rows in folding.split(examples, categories):
        classifier = Classifier(train([examples[n] for n in fit_rows]))
        results = classifier.classify_many([examples[n].text for n in test_rows])
        for n, result in zip(test_rows, results, strict=True):
            predicted[n] = result.category
    return report(examples, predicted), predicted


def report(examples: Sequence[Example], predicted: Sequence[str]) -> Report:
    confusion: Counter[tuple[str, str]] = Counter(
        (e.category, p) for e, p in zip(examples, predicted, strict=True)
    )
    per_category = {}
    for category in CATEGORIES:
        true_positive = confusion[(category, category)]
        predicted_as = sum(n for (_, p), n in confusion.items() if p == category)
        actual = sum(n for (t, _), n in confusion.items() if t == category)
        precision = true_positive / predicted_as if predicted_as else 0.0
        recall = true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_category[category] = Scores(precision, recall, f1, actual)
    present = [s for s in per_category.values() if s.support]
    macro_f1 = sum(s.f1 for s in present) / len(present) if present else 0.0
    correct = sum(n for (t, p), n in confusion.items() if t == p)
    return Report(per_category, macro_f1, correct / max(1, len(examples)), confusion)
