import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.intake.models import (
    WEB_SOURCE_CODE,
    ImportJob,
    QualityFlag,
    SourceSystem,
    Transaction,
)
from cfmp.intake.selectors import office_quality_signals
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from tests.forms import form_with

pytestmark = pytest.mark.django_db

CSV = (
    "reference,occurred_at,service,office,official,citizen_name,mobile,cnic\n"
    "U-1,01/03/2026 10:00,driving-licence,LHR-POL,,Asif,0300-5551234,\n"
    "U-2,01/03/2026 10:05,driving-licence,LHR-POL,,Bilal,0300-5551235,\n"
    "U-3,01/03/2026 10:10,fard,LHR-REV,,Not my office,0300-5551236,\n"
    "U-4,bad date,driving-licence,LHR-POL,,Dawood,0300-5551237,\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def operator(world):
    return world.users[Role.DATA_ENTRY_OPERATOR]  # LHR-POL and MUL-REV


FORM = {
    "occurred_at": "2026-03-01T10:30",
    "office": "LHR-POL",
    "service": "driving-licence",
    "official": "LHR-POL-1",
    "citizen_name": "Muhammad Asif",
    "mobile": "0300 555 1234",
}


def record(client, **changes):
    """The operator's form as rendered, filled in as an operator would, and sent."""
    page = client.get(reverse("intake:transaction-new"))
    form = form_with(page, "citizen_name")
    return form, form.fill(**{**FORM, **changes}).submit(client)


def test_operator_records_a_transaction_through_the_form(client, operator):
    client.force_login(operator)
    _, response = record(client)
    assert response.status_code == 302
    stored = Transaction.objects.get()
    assert stored.reference.startswith("LHR-POL/WEB-")  # receipt numbers are per office
    assert stored.mobile == "+923005551234"
    assert stored.recorded_by == operator
    assert stored.source.code == WEB_SOURCE_CODE
    assert stored.occurred_at == dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)


def test_the_form_shows_the_services_errors_on_the_fields(client, operator):
    client.force_login(operator)
    _, response = record(client, cnic="123")
    assert response.status_code == 200
    assert "a CNIC has 13 digits" in response.content.decode()
    assert not Transaction.objects.exists()


@pytest.mark.parametrize("mobile", ["12345", "abc", "", "+44 20 7946 0958", "0800-12345"])
def test_an_unusable_mobile_is_refused_on_its_field_with_what_was_typed_kept(
    client, operator, mobile
):
    client.force_login(operator)
    _, response = record(client, mobile=mobile, citizen_name="Bilal Ahmed", official="X-7")
    assert response.status_code == 200
    assert not Transaction.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == ["mobile"]
    kept = form_with(response, "citizen_name").data()
    assert kept["mobile"] == mobile and kept["citizen_name"] == "Bilal Ahmed"
    assert (kept["office"], kept["service"], kept["official"]) == (
        "LHR-POL",
        "driving-licence",
        "X-7",
    )
    assert 'class="error"' in response.content.decode()
    # Corrected on the same page, it is recorded once.
    fixed = form_with(response, "citizen_name").fill(mobile="0300-5551234").submit(client)
    assert fixed.status_code == 302 and Transaction.objects.count() == 1


def test_a_citizen_without_a_mobile_is_an_explicit_choice_counted_in_data_quality(
    client, operator, world
):
    client.force_login(operator)
    _, refused = record(client, mobile="0300-5551234", no_mobile=True)
    assert "mobile" in refused.context["form"].errors and not Transaction.objects.exists()
    _, response = record(client, mobile="", no_mobile=True)
    assert response.status_code == 302
    stored = Transaction.objects.get()
    assert (stored.mobile, stored.sms_block) == ("", "no_mobile")
    assert stored.flags & QualityFlag.NO_MOBILE
    signals = office_quality_signals(
        world.users[Role.SECRETARIAT],
        start=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        end=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    assert [(s.office.code, s.no_mobile, s.invalid) for s in signals] == [("LHR-POL", 1, 0)]
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("intake:data-quality"), {"from": "2026-03-01", "to": "2026-03-01"})
    assert "No mobile (declared)" in page.content.decode()


def test_the_services_offered_are_the_chosen_offices(client, operator):
    client.force_login(operator)
    page = client.get(reverse("intake:transaction-new"))
    html = page.content.decode()
    assert 'data-narrows="id_service"' in html and "data-department=" in html
    # Once an office is chosen (the page is shown again), only its services are offered.
    form = form_with(page, "citizen_name").fill(office="MUL-REV", citizen_name="")
    again = form.submit(client)
    offered = form_with(again, "citizen_name").options("service")
    assert "fard" in offered and "driving-licence" not in offered
    # A service of another office's department sent anyway is refused.
    _, refused = record(client, office="MUL-REV", service="driving-licence")
    assert "service" in refused.context["form"].errors and not Transaction.objects.exists()


def test_the_form_sent_twice_records_once(client, operator):
    client.force_login(operator)
    form, first = record(client, reference="R-77")
    assert first.status_code == 302
    again = form.submit(client, follow=True)
    assert "already sent" in again.content.decode()
    assert Transaction.objects.count() == 1


def test_the_form_offers_only_the_operators_offices(client, operator):
    client.force_login(operator)
    page = client.get(reverse("intake:transaction-new"))
    assert form_with(page, "office").options("office") == ["", "LHR-POL", "MUL-REV"]
    with pytest.raises(AssertionError, match="not offered"):
        record(client, office="LHR-REV", service="fard")
    # A request made by hand with an office the page does not offer is refused by the server.
    data = form_with(page, "office").fill(**FORM).data()
    refused = client.post(reverse("intake:transaction-new"), {**data, "office": "LHR-REV"})
    assert refused.status_code == 200 and "office" in refused.context["form"].errors
    assert not Transaction.objects.exists()


def post_upload(client, upload):
    """The upload page as rendered, with a file chosen."""
    form = form_with(client.get(reverse("intake:upload")), "file")
    data = {k: v for k, v in form.data().items() if k != "file"}
    return client.post(reverse("intake:upload"), {**data, "file": upload})


def test_roles_that_do_not_submit_cannot_open_the_form(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("intake:transaction-new")).status_code == 403
    assert client.get(reverse("intake:upload")).status_code == 403


def test_upload_imports_in_the_background_and_offers_the_error_file(
    client, operator, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    upload = SimpleUploadedFile("march.csv", CSV.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = post_upload(client, upload)
    job = ImportJob.objects.get()
    assert response.url == reverse("intake:import-job", args=[job.pk])
    assert job.state == ImportJob.State.QUEUED
    assert "hx-trigger" in client.get(response.url).content.decode()  # the page polls
    for enqueue in queued:
        enqueue()  # what the worker does (tasks run eagerly in tests)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert (job.read, job.created, job.rejected) == (4, 2, 2)
    page = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page  # finished: the page stops polling
    errors = client.get(reverse("intake:import-job-errors", args=[job.pk]))
    body = b"".join(errors.streaming_content).decode("utf-8-sig")
    assert "not one this source may write for" in body
    assert "U-4" in body and "U-1" not in body


def test_an_upload_sent_twice_is_imported_once(client, operator):
    client.force_login(operator)
    form = form_with(client.get(reverse("intake:upload")), "file")
    data = {k: v for k, v in form.data().items() if k != "file"}
    for _ in range(2):
        client.post(reverse("intake:upload"), {**data, "file": SimpleUploadedFile("a.csv", b"x")})
    assert ImportJob.objects.count() == 1


def test_an_upload_is_not_visible_to_another_operator(client, operator, world):
    from tests.factories import UserFactory

    client.force_login(operator)
    post_upload(client, SimpleUploadedFile("a.csv", CSV.encode()))
    job = ImportJob.objects.get()
    other = UserFactory(
        role=Role.DATA_ENTRY_OPERATOR, username="op-other", assigned_offices=[world.lahore_police]
    )
    client.force_login(other)
    assert client.get(reverse("intake:import-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("intake:import-job-errors", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_csv_is_refused_on_the_form(client, operator):
    client.force_login(operator)
    response = post_upload(client, SimpleUploadedFile("photo.jpg", b"\xff\xd8"))
    assert "Upload a .csv or .xlsx file" in response.content.decode()
    assert not ImportJob.objects.exists()


def _seed(world, *rows):
    web = SourceSystem.objects.get(code=WEB_SOURCE_CODE)
    items = [(i, TransactionInput(**row)) for i, row in enumerate(rows)]
    return ingest_transactions(source=web, items=items)


def test_identity_is_masked_for_officers_and_shown_to_secretariat_and_agents(client, world):
    _seed(
        world,
        {
            "reference": "I-1",
            "occurred_at": "2026-03-01T10:00:00+05:00",
            "service": "fard",
            "office": "LHR-REV",
            "citizen_name": "Zahida Parveen",
            "mobile": "0300-5551234",
            "cnic": "35202-1234567-1",
        },
    )
    url = reverse("intake:transaction-list")

    client.force_login(world.users[Role.DISTRICT_OFFICER])
    page = client.get(url).content.decode()
    assert "I-1" in page
    assert "Zahida" not in page and "5551234" not in page and "35202" not in page
    assert "+92 300 ****234" in page

    client.force_login(world.users[Role.CALL_CENTRE_AGENT])
    page = client.get(url).content.decode()
    assert "Zahida Parveen" in page and "+923005551234" in page
    assert "35202-1234567-1" not in page and "*****-****567-1" in page

    client.force_login(world.users[Role.SECRETARIAT])
    assert "35202-1234567-1" in client.get(url).content.decode()

    client.force_login(world.users[Role.AUDITOR])
    page = client.get(url).content.decode()
    assert "I-1" in page and "Zahida" not in page


def test_transaction_list_is_scoped(client, world):
    _seed(
        world,
        {
            "reference": "L-1",
            "occurred_at": "2026-03-01T10:00:00+05:00",
            "service": "fard",
            "office": "LHR-REV",
            "citizen_name": "A",
            "mobile": "03005551234",
        },
        {
            "reference": "M-1",
            "occurred_at": "2026-03-01T10:00:00+05:00",
            "service": "fard",
            "office": "MUL-REV",
            "citizen_name": "B",
            "mobile": "03005551235",
        },
    )
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore
    page = client.get(reverse("intake:transaction-list")).content.decode()
    assert "L-1" in page and "M-1" not in page


def test_data_quality_signals_per_office(world, settings):
    settings.CFMP_SHARED_MOBILE_THRESHOLD = 3
    base = {"occurred_at": "2026-03-01T10:00:00+05:00", "service": "fard"}
    _seed(
        world,
        # LHR-REV: one number for three different citizens, a landline, a made-up number.
        {
            **base,
            "reference": "a",
            "office": "LHR-REV",
            "citizen_name": "A",
            "mobile": "03215550001",
        },
        {
            **base,
            "reference": "b",
            "office": "LHR-REV",
            "citizen_name": "B",
            "mobile": "03215550001",
        },
        {
            **base,
            "reference": "c",
            "office": "LHR-REV",
            "citizen_name": "C",
            "mobile": "03215550001",
        },
        {
            **base,
            "reference": "d",
            "office": "LHR-REV",
            "citizen_name": "D",
            "mobile": "042-35880062",
        },
        {
            **base,
            "reference": "e",
            "office": "LHR-REV",
            "citizen_name": "E",
            "mobile": "03000000000",
        },
        # MUL-REV: clean; the same citizen twice on one number is not a signal.
        {
            **base,
            "reference": "f",
            "office": "MUL-REV",
            "citizen_name": "F",
            "mobile": "03335550002",
        },
        {
            **base,
            "reference": "g",
            "office": "MUL-REV",
            "citizen_name": "f",
            "mobile": "03335550002",
        },
    )
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    signals = {
        s.office.code: s
        for s in office_quality_signals(world.users[Role.SECRETARIAT], start=start, end=end)
    }
    lahore = signals["LHR-REV"]
    assert (lahore.total, lahore.shared_mobile, lahore.landline, lahore.made_up) == (5, 3, 1, 1)
    multan = signals["MUL-REV"]
    assert (multan.total, multan.shared_mobile, multan.suspicious) == (2, 0, 0)
    assert list(signals) == ["LHR-REV", "MUL-REV"]  # worst first

    lahore_officer = office_quality_signals(
        world.users[Role.DISTRICT_OFFICER], start=start, end=end
    )
    assert [s.office.code for s in lahore_officer] == ["LHR-REV"]


def test_data_quality_page_renders_for_a_scoped_user(client, world):
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    response = client.get(
        reverse("intake:data-quality"), {"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 200


def _queue_upload(client, name="a.csv", body=CSV, capture=None):
    with capture(execute=False):
        post_upload(client, SimpleUploadedFile(name, body.encode()))
    return ImportJob.objects.order_by("-created_at").first()


def test_a_redelivered_import_job_fills_in_only_what_the_crashed_run_missed(
    client, operator, django_capture_on_commit_callbacks
):
    from cfmp.intake.jobs import run_import_job

    client.force_login(operator)
    job = _queue_upload(client, capture=django_capture_on_commit_callbacks)
    # The first delivery stored U-1, then its worker died mid-file and stopped beating.
    _seed(
        None,
        {
            "reference": "U-1",
            "occurred_at": "01/03/2026 10:00",
            "service": "driving-licence",
            "office": "LHR-POL",
            "citizen_name": "Asif",
            "mobile": "0300-5551234",
        },
    )
    crashed_at = timezone.now() - dt.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, heartbeat_at=crashed_at
    )

    run_import_job(str(job.pk))
    run_import_job(str(job.pk))  # a late duplicate delivery finds it done

    job.refresh_from_db()
    assert (job.state, job.created, job.already_present, job.rejected) == ("done", 1, 1, 2)
    assert Transaction.objects.filter(reference__startswith="LHR-POL/U-").count() == 2


def test_a_second_delivery_backs_off_while_the_first_worker_is_alive(
    client, operator, django_capture_on_commit_callbacks
):
    from cfmp.intake.jobs import run_import_job

    client.force_login(operator)
    job = _queue_upload(client, capture=django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, heartbeat_at=timezone.now()
    )
    run_import_job(str(job.pk))
    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING
    assert not Transaction.objects.exists()


def test_an_internal_error_fails_the_job_instead_of_leaving_it_running(
    client, operator, django_capture_on_commit_callbacks, monkeypatch
):
    from cfmp.intake import jobs

    client.force_login(operator)
    job = _queue_upload(client, capture=django_capture_on_commit_callbacks)

    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "import_transaction_file", explode)
    jobs.run_import_job(str(job.pk))
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "internal error" in job.failure


def test_an_unreadable_csv_fails_the_job_with_a_reason(
    client, operator, django_capture_on_commit_callbacks
):
    from cfmp.intake.jobs import run_import_job

    client.force_login(operator)
    body = CSV.splitlines()[0] + "\n" + "X-1," + "x" * 140_000 + "\n"
    job = _queue_upload(client, body=body, capture=django_capture_on_commit_callbacks)
    run_import_job(str(job.pk))
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "not readable CSV" in job.failure


def test_each_upload_keeps_its_own_files_and_drops_the_upload_once_stored(
    client, operator, django_capture_on_commit_callbacks, settings
):
    from pathlib import Path

    from cfmp.intake.jobs import run_import_job

    client.force_login(operator)
    first = _queue_upload(client, name="m.errors.csv", capture=django_capture_on_commit_callbacks)
    second = _queue_upload(client, name="m.csv", capture=django_capture_on_commit_callbacks)
    first_upload = Path(first.file.path)
    run_import_job(str(second.pk))
    assert first_upload.exists()  # the second job's error file did not overwrite it
    run_import_job(str(first.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.error_file.name != second.error_file.name
    assert not first_upload.exists()  # stored, so the upload itself is deleted
    assert first.error_file and Path(first.error_file.path).exists()


def test_operators_receipt_numbers_are_per_office(client, world, settings):
    from tests.factories import UserFactory

    other = UserFactory(
        role=Role.DATA_ENTRY_OPERATOR, username="op-mul", assigned_offices=[world.multan_revenue]
    )
    for user, office, service in (
        (world.users[Role.DATA_ENTRY_OPERATOR], "LHR-POL", "driving-licence"),
        (other, "MUL-REV", "fard"),
    ):
        client.force_login(user)
        record(client, reference="1001", office=office, service=service, official="")
    assert sorted(Transaction.objects.values_list("reference", flat=True)) == [
        "LHR-POL/1001",
        "MUL-REV/1001",
    ]


def test_the_upload_page_offers_a_template_and_the_operator_s_own_codes(
    client, operator, world, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    page = client.get(reverse("intake:upload")).content.decode()
    assert "?template=csv" in page
    assert "<code>LHR-POL</code>" in page and "<code>MUL-REV</code>" in page
    assert "<code>LHR-REV</code>" not in page  # not one of the operator's offices
    assert "<code>driving-licence</code>" in page and "<code>LHR-POL-1</code>" in page
    template = client.get(reverse("intake:upload"), {"template": "csv"})
    assert template["Content-Disposition"].startswith("attachment;")
    header, example = template.content.decode("utf-8-sig").splitlines()
    assert header == "reference,occurred_at,service,office,official,citizen_name,mobile,cnic"
    # The template, sent back as it is, imports its example row.
    upload = SimpleUploadedFile("template.csv", template.content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(client, upload)
    job = ImportJob.objects.get()
    assert (job.created, job.rejected) == (1, 0), example
    assert Transaction.objects.get().office.code in ("LHR-POL", "MUL-REV")


def test_an_upload_may_name_its_office_and_service_where_the_name_is_unambiguous(
    client, operator, world, django_capture_on_commit_callbacks
):
    from cfmp.registry.models import Service

    client.force_login(operator)
    licence = Service.objects.get(code="driving-licence")
    world.lahore_police.name = "Licence Centre Liberty"
    world.lahore_police.save()
    world.multan_revenue.name = world.multan_health.name = "DC Office"  # two share a name
    world.multan_revenue.save(), world.multan_health.save()
    csv = (
        "reference,occurred_at,service,office,official,citizen_name,mobile,cnic\n"
        f"N-1,01/03/2026 10:00,{licence.name},Licence Centre Liberty,,Asif,0300-5551234,\n"
        f"N-2,01/03/2026 10:05,{licence.name_ur},licence centre liberty,,Bilal,0300-5551235,\n"
        "N-3,01/03/2026 10:10,fard,DC Office,,Dawood,0300-5551236,\n"
    )
    upload = SimpleUploadedFile("names.csv", csv.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(client, upload)
    job = ImportJob.objects.get()
    assert (job.created, job.rejected) == (2, 1)
    assert set(Transaction.objects.values_list("office__code", "service__code")) == {
        ("LHR-POL", "driving-licence")
    }
