"""Web uploads of transaction files, imported in the background by a worker."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cfmp.core.tabular import FileRejected
from cfmp.intake.importers import import_transaction_file, is_xlsx
from cfmp.intake.models import WEB_SOURCE_CODE, ImportJob, SourceSystem

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5
XLSX_BYTES_PER_ROW = 60  # to size an .xlsx's progress bar (its rows are counted, not bytes)


def start_import_job(*, upload: UploadedFile, user: Any) -> ImportJob:
    """Store the uploaded file and queue its import; the page then follows its progress."""
    from cfmp.intake.tasks import run_import_job

    name = Path(upload.name or "upload.csv").name
    size = upload.size or 0
    job = ImportJob(
        source=SourceSystem.objects.get(code=WEB_SOURCE_CODE),
        uploaded_by=user,
        original_name=name,
        progress_total=size // XLSX_BYTES_PER_ROW if is_xlsx(Path(name)) else size,
    )
    job.file.save(name, upload, save=False)
    with transaction.atomic():
        job.save()
        # Queued only once the job row is committed, so the worker always finds it.
        transaction.on_commit(lambda: run_import_job.delay(str(job.pk)))
    return job


HEARTBEAT_TIMEOUT = dt.timedelta(minutes=2)


def _claim(job_id: str) -> bool:
    """Take the job if it is queued, or running with no sign of life (its worker died and
    the task was delivered again). A second delivery while the first still runs backs off."""
    now = timezone.now()
    stale = Q(heartbeat_at__lt=now - HEARTBEAT_TIMEOUT) | Q(heartbeat_at__isnull=True)
    claimable = Q(state=ImportJob.State.QUEUED) | (Q(state=ImportJob.State.RUNNING) & stale)
    return bool(
        ImportJob.objects.filter(claimable, pk=job_id).update(
            state=ImportJob.State.RUNNING, started_at=now, heartbeat_at=now, failure=""
        )
    )


def _finish(job: ImportJob, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)


def run_import_job(job_id: str) -> None:
    """Import an uploaded file. Safe to run again after a crash: the import is idempotent
    by reference, so a re-delivered task only fills in what the first run did not store."""
    if not _claim(job_id):
        return
    job = ImportJob.objects.select_related("source", "uploaded_by").get(pk=job_id)
    path = Path(job.file.path)
    error_path = path.with_name("errors.csv")  # in the job's own folder
    last_report = 0.0

    def progress(done: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now - last_report >= PROGRESS_EVERY_SECONDS:
            last_report = now
            ImportJob.objects.filter(pk=job.pk).update(
                progress_done=done, heartbeat_at=timezone.now()
            )

    try:
        result = import_transaction_file(
            path=path,
            source=job.source,
            recorded_by=job.uploaded_by,
            progress=progress,
            error_file=error_path,
        )
    except FileRejected as rejection:
        _finish(job, state=ImportJob.State.FAILED, failure=str(rejection))
        return
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _finish(
            job,
            state=ImportJob.State.FAILED,
            failure="The import stopped on an internal error; the rows stored so far are "
            "kept. Upload the file again to finish it, or ask the secretariat.",
        )
        return
    report = result.report
    error_name = ""
    if result.error_file is not None:
        error_name = str(Path(job.file.name or "").with_name(result.error_file.name))
    _finish(
        job,
        state=ImportJob.State.DONE,
        progress_done=job.progress_total,
        read=report.read,
        created=report.created,
        already_present=report.already_present,
        rejected=report.rejected,
        flagged=report.flagged,
        error_file=error_name,
    )
    # The rows are stored; the upload (with citizens' numbers and CNICs) need not be kept.
    job.file.delete(save=False)
    logger.info("import job %s: %s", job.pk, report.as_dict())
