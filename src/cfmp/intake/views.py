from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cfmp.accounts.models import IdentityView
from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import can_submit_transactions
from cfmp.accounts.services import record_identity_view
from cfmp.core.http import SignedInRequest
from cfmp.core.lists import Listing, export_response, export_rows
from cfmp.core.once import already_done
from cfmp.core.services import AlreadySubmitted, record_outcome, spend_form_token, write_once
from cfmp.intake.forms import TransactionForm, UploadForm
from cfmp.intake.jobs import start_import_job
from cfmp.intake.lists import COLUMNS, filters_for
from cfmp.intake.models import WEB_SOURCE_CODE, QualityFlag, SourceSystem
from cfmp.intake.privacy import citizen_identity_for
from cfmp.intake.selectors import (
    import_jobs_visible_to,
    office_quality_signals,
    transactions_visible_to,
    upload_codes,
    upload_template,
)
from cfmp.intake.services import ItemResult, ItemStatus, ingest_transactions
from cfmp.intake.validation import TransactionInput


def _require_submitter(request: HttpRequest) -> None:
    if not can_submit_transactions(request.user):
        raise PermissionDenied


@requires("intake:transaction-new")
@require_http_methods(["GET", "POST"])
def transaction_new(request: SignedInRequest) -> HttpResponse:
    """The operator's form. A transaction the intake service refuses (an unusable mobile,
    an unknown official's office, ...) is shown again with the reasons on its fields and
    everything typed kept; nothing is stored. Sent twice, the page records once."""
    _require_submitter(request)
    form = TransactionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reference = data["reference"] or (
            f"WEB-{timezone.localdate():%Y%m%d}-{secrets.token_hex(4).upper()}"
        )
        item = TransactionInput(
            reference=reference,
            occurred_at=data["occurred_at"],
            service=data["service"].code,
            office=data["office"].code,
            official=data["official"],
            citizen_name=data["citizen_name"],
            mobile=data["mobile"],
            cnic=data["cnic"],
            no_mobile=data["no_mobile"],
        )
        results: list[ItemResult] = []
        try:
            with transaction.atomic():
                spent = spend_form_token(
                    token=data["form_token"], user=request.user, purpose="transaction"
                )
                ingest_transactions(
                    source=SourceSystem.objects.get(code=WEB_SOURCE_CODE),
                    items=[(0, item)],
                    recorded_by=request.user,
                    on_result=results.append,
                )
                if results[0].status == ItemStatus.REJECTED:
                    transaction.set_rollback(True)  # the page may be corrected and sent again
                else:
                    record_outcome(spent=spent, url=reverse("intake:transaction-new"))
        except AlreadySubmitted as repeat:
            return already_done(request, repeat, fallback=reverse("intake:transaction-new"))
        result = results[0]
        if result.status == ItemStatus.REJECTED:
            for field, errors in result.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            if result.status == ItemStatus.ALREADY_PRESENT:
                messages.warning(
                    request, _("Transaction %(ref)s was already recorded.") % {"ref": reference}
                )
            else:
                messages.success(request, _("Transaction %(ref)s recorded.") % {"ref": reference})
            for flag in QualityFlag(result.flags):
                messages.warning(request, flag.label)
            return redirect("intake:transaction-new")
    return render(request, "intake/transaction_form.html", {"form": form})


@requires("intake:upload")
@require_http_methods(["GET", "POST"])
def upload(request: SignedInRequest) -> HttpResponse:
    _require_submitter(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():

        def start() -> str:
            job = start_import_job(upload=form.cleaned_data["file"], user=request.user)
            return reverse("intake:import-job", args=[job.pk])

        try:  # sent twice (a double click on a slow upload), the file is imported once
            started = write_once(token=form.cleaned_data["form_token"], user=request.user,
                                 purpose="upload", write=start)  # fmt: skip
        except AlreadySubmitted as repeat:
            return already_done(request, repeat, fallback=reverse("intake:upload"))
        return redirect(started)
    codes = upload_codes(request.user)
    if request.GET.get("template") == "csv":  # the columns, and an example row in your codes
        response = HttpResponse(upload_template(codes), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cfmp-transactions-template.csv"'
        return response
    jobs = import_jobs_visible_to(request.user)[:20]
    return render(request, "intake/upload.html", {"form": form, "jobs": jobs, "codes": codes})


@login_required
def import_job(request: SignedInRequest, job_id: str) -> HttpResponse:
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=job_id)
    template = (
        "intake/_import_progress.html"
        if request.headers.get("HX-Request")
        else "intake/import_job.html"
    )
    return render(request, template, {"job": job})


@login_required
def import_job_errors(request: SignedInRequest, job_id: str) -> FileResponse:
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=job_id)
    if not job.error_file:
        raise Http404
    name = f"{job.original_name.rsplit('.', 1)[0]}.errors.csv"
    record_identity_view(  # the rejected rows carry citizens' names and numbers
        user=request.user,
        purpose=IdentityView.Purpose.IMPORT_ERRORS,
        subject="intake.importjob",
        object_ids=[str(job.pk)],
        request=request,
        unmasked=True,
    )
    return FileResponse(
        job.error_file.open("rb"), as_attachment=True, filename=name, content_type="text/csv"
    )


@login_required
def transaction_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    transactions = transactions_visible_to(user).select_related("service", "office", "official")
    listing = Listing(request, transactions, filterset=filters_for(user), columns=COLUMNS,
                      default_sort="-when", tie=("-id",))  # fmt: skip
    if listing.export_format:
        return _export_transactions(request, listing)
    page = listing.page()
    rows = [
        (
            tx,
            citizen_identity_for(user, tx),
            [flag.label for flag in QualityFlag(tx.quality_flags)],
        )
        for tx in page
    ]
    record_identity_view(
        user=user,
        purpose=IdentityView.Purpose.TRANSACTIONS,
        subject="intake.transaction",
        object_ids=[tx.pk for tx in page],
        request=request,
    )
    return render(
        request, "intake/transaction_list.html", {"page": page, "rows": rows, "listing": listing}
    )


def _export_transactions(request: SignedInRequest, listing: Listing) -> HttpResponse:
    exported: list[int] = []

    def convert(chunk: list) -> list[list]:
        out = []
        for tx in chunk:
            exported.append(tx.pk)
            who = citizen_identity_for(request.user, tx)
            flags = ", ".join(str(f.label) for f in QualityFlag(tx.quality_flags))
            out.append([tx.occurred_at, tx.reference, tx.service.shown_name,
                        tx.office.shown_name, tx.official.name if tx.official else "",
                        who.name, who.cnic, who.mobile, flags])  # fmt: skip
        return out

    rows = list(export_rows(listing.queryset, convert))
    record_identity_view(user=request.user, purpose=IdentityView.Purpose.LIST_EXPORT,
                         subject="intake.transaction", object_ids=exported,
                         request=request)  # fmt: skip
    headers = [_("When"), _("Reference"), _("Service"), _("Office"), _("Official"),
               _("Citizen"), _("CNIC"), _("Mobile"), _("Data quality")]  # fmt: skip
    return export_response(name="transactions", fmt=listing.export_format or "csv",
                           headers=headers, rows=rows)  # fmt: skip


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The ?from=&to= dates, defaulting to the last 30 days and kept within sane years."""
    today = timezone.localdate()
    earliest, latest = dt.date(2000, 1, 1), today + dt.timedelta(days=366)
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - dt.timedelta(days=29)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    start = min(max(start, earliest), latest)
    end = min(max(end, start), latest)
    return start, end


@login_required
def data_quality(request: SignedInRequest) -> HttpResponse:
    start, end = _period(request)
    zone = timezone.get_current_timezone()
    signals = office_quality_signals(
        request.user,
        start=dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )
    return render(
        request, "intake/data_quality.html", {"signals": signals, "start": start, "end": end}
    )
