"""A web upload imported by a real Celery worker over the embedded SQLite broker: the path
`make run` uses, with the web process and the worker as separate processes."""

from __future__ import annotations

import time

from tests.processes import cfmp, clean_environment, query_one, scratch_database, start_worker

QUEUE_UPLOAD = """
from django.core.files.uploadedfile import SimpleUploadedFile
from cfmp.accounts.models import User
from cfmp.intake.jobs import start_import_job
rows = "reference,occurred_at,service,office,official,citizen_name,mobile,cnic\\n" + "".join(
    f"W-{n},01/03/2026 10:00,driving-licence,LHR-POL-DLC,,Citizen {n},0300-555{n:04d},\\n"
    for n in range(50)
) + "W-bad,not a date,driving-licence,LHR-POL-DLC,,X,0300-5559999,\\n"
job = start_import_job(upload=SimpleUploadedFile("w.csv", rows.encode()),
                       user=User.objects.get(username="operator"))
print(job.pk)
"""

READ_JOB = "SELECT state, created, rejected FROM intake_importjob WHERE id = %s"


def test_an_upload_is_imported_by_a_separate_worker_process(tmp_path):
    env = clean_environment(tmp_path)
    env["CFMP_BROKER_URL"] = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    env["CFMP_TESTING"] = "1"  # no gateway configured: the worker may use the simulator
    with scratch_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        for command in (("migrate", "--noinput"), ("load-demo", "--history-weeks", "0")):
            done = cfmp(*command, env=env, cwd=tmp_path)
            assert done.returncode == 0, done.stderr

        queued = cfmp("shell", "-v", "0", "-c", QUEUE_UPLOAD, env=env, cwd=tmp_path)
        assert queued.returncode == 0, queued.stderr
        job_id = queued.stdout.strip()
        job_key = job_id.replace("-", "") if database_url.startswith("sqlite") else job_id
        assert query_one(database_url, READ_JOB, (job_key,)) == ("queued", 0, 0)

        worker = start_worker(env, tmp_path)
        try:
            deadline = time.monotonic() + 60
            state = None
            while time.monotonic() < deadline:
                state = query_one(database_url, READ_JOB, (job_key,))
                if state and state[0] in ("done", "failed"):
                    break
                time.sleep(0.2)
        finally:
            worker.terminate()
            output = worker.communicate(timeout=30)[0]
        assert state == ("done", 50, 1), output
