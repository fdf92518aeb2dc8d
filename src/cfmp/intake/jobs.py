"""Web uploads of transaction files, imported in the background by a worker."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cfmp.core.tabular import FileRejected
from cfmp.intake.importers import error_file_for, import_transaction_file, is_xlsx
from cfmp.intake.models import WEB_SOURCE_CODE, ImportJob, SourceSystem

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5
XLSX_BYTES_PER_ROW = 60  # to size an .xlsx's progress bar (its rows are counted, not bytes)


def start_import_job(*, upload: UploadedFile, user: Any) -> ImportJob:
    """Store the uploaded file and queue its import; the page then follows its progress."""
    from cfmp.intake.tasks import run_import_job

    name = Path(upload.name or "upload.csv").name
    job = ImportJob(
        source=SourceSystem.objects.get(code=WEB_SOURCE_CODE),
        uploaded_by=user,
        original_name=name,
        progress_total=upload.size or 0,
    )
    if is_xlsx(Path(name)):
        job.progress_total = (upload.size or 0) // XLSX_BYTES_PER_ROW
    job.file.save(name, upload, save=False)
    with transaction.atomic():
        job.save()
        # Queued only once the job row is committed, so the worker always finds it.
        transaction.on_commit(lambda: run_import_job.delay(str(job.pk)))
    return job


def run_import_job(job_id: str) -> None:
    """Import an uploaded file. Safe to run again after a crash: the import is idempotent
    by reference, so a re-delivered task only fills in what the first run did not store."""
    job = ImportJob.objects.select_related("source", "uploaded_by").get(pk=job_id)
    if job.state == ImportJob.State.DONE:
        return
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now(), failure=""
    )
    path = Path(job.file.path)
    last_report = 0.0

    def progress(done: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now - last_report >= PROGRESS_EVERY_SECONDS:
            last_report = now
            ImportJob.objects.filter(pk=job.pk).update(progress_done=done)

    try:
        result = import_transaction_file(
            path=path,
            source=job.source,
            recorded_by=job.uploaded_by,
            progress=progress,
            error_file=error_file_for(path),
        )
    except FileRejected as rejection:
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED, failure=str(rejection), finished_at=timezone.now()
        )
        return
    report = result.report
    error_name = ""
    if result.error_file is not None:
        error_name = str(Path(job.file.name or "").with_name(result.error_file.name))
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.DONE,
        finished_at=timezone.now(),
        progress_done=job.progress_total,
        read=report.read,
        created=report.created,
        already_present=report.already_present,
        rejected=report.rejected,
        flagged=report.flagged,
        error_file=error_name,
    )
    logger.info("import job %s: %s", job.pk, report.as_dict())
