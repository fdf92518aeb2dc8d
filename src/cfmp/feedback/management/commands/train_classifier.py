"""`cfmp train-classifier`: train the reply classifier from the shipped corpus and print
precision and recall per category on its held-out split; with --cross-validate, the same
by 5-fold cross-validation on the training split instead (where choices are made), and
nothing is trained for use or scored on the held-out split."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cfmp.feedback.classifier import (
    CATEGORIES,
    corpus,
    forget_loaded_classifier,
    split,
    train_and_save,
)
from cfmp.feedback.evaluation import Report, cross_validate, evaluate
from cfmp.feedback.selectors import reviewed_examples


class Command(BaseCommand):
    help = (
        "Train the reply classifier on the shipped corpus and reviewers' verdicts, and report "
        "its figures on the corpus's held-out split."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help="report 5-fold cross-validation on the training split; train nothing",
        )

    def handle(self, *args, **options) -> None:
        train, held_out = split(corpus())
        if options["cross_validate"]:
            report, _ = cross_validate(train)
            self.stdout.write(f"5-fold cross-validation on the training split: {len(train)}")
            self._write(report)
            return
        corrections = reviewed_examples()
        classifier = train_and_save(extra=corrections)
        forget_loaded_classifier()
        self.stdout.write(f"trained on the corpus and {len(corrections)} reviewed replies")
        self.stdout.write(f"held-out replies: {len(held_out)}")
        self._write(evaluate(classifier, held_out))

    def _write(self, report: Report) -> None:
        self.stdout.write(f"{'category':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>5}")
        for category in CATEGORIES:
            row = report.per_category[category]
            self.stdout.write(
                f"{category:<16} {row.precision:>9.2f} {row.recall:>7.2f} "
                f"{row.f1:>6.2f} {row.support:>5}"
            )
        self.stdout.write(f"macro-F1 {report.macro_f1:.3f}  accuracy {report.accuracy:.3f}")
        self.stdout.write("confusion (rows: true category; columns: predicted, same order):")
        for true in CATEGORIES:
            counts = " ".join(f"{report.confusion[(true, p)]:>4}" for p in CATEGORIES)
            self.stdout.write(f"{true:<16} {counts}")
