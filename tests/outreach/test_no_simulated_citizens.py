"""Outside the demo no simulated citizen may answer: the simulator refuses to send, a plan
that would use it fails `cfmp check --deploy` and stops the workers from starting, and
feedback a simulated citizen gave never reaches cases or reports."""

import datetime as dt

import pytest
from django.core import checks

from cfmp.cases.models import Case
from cfmp.cases.services import file_complaints
from cfmp.channels.base import ChannelError, OutboundMessage
from cfmp.channels.simulator.adapter import SimulatorChannel
from cfmp.outreach import plans
from cfmp.outreach.checks import check_no_simulated_citizens
from cfmp.outreach.models import SurveyPlan
from cfmp.reports.rollups import count_day
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def deployment(settings):
    """A deployment as an operator would make it: not the demo, SMS through Kannel."""
    settings.CFMP_SIMULATOR_ALLOWED = False
    settings.CFMP_SMS_CHANNEL = "kannel"
    settings.CFMP_VOICE_CHANNEL = "simulator"
    return settings


def test_the_simulator_refuses_to_send_outside_the_demo(deployment):
    with pytest.raises(ChannelError) as refused:
        SimulatorChannel("voice").send(OutboundMessage(1, "+923001234567", "x", "voice"))
    assert not refused.value.retryable
    assert "only in the demo" in str(refused.value)


def test_a_plan_with_robocalls_on_the_simulator_fails_the_deploy_check(deployment, world):
    SurveyPlan.objects.create(is_default=True, robocall=True)
    (error,) = check_no_simulated_citizens(None)
    assert error.level == checks.ERROR
    assert "default plan" in error.msg and "voice" in error.msg
    assert "cfmp plans set default --robocall off" in error.msg
    plans.update_plan(plan=SurveyPlan.objects.get(is_default=True), robocall=False)
    assert check_no_simulated_citizens(None) == []


def test_sms_on_the_simulator_is_named_with_its_fix(deployment, world):
    deployment.CFMP_SMS_CHANNEL = "simulator"
    SurveyPlan.objects.create(is_default=True, robocall=False)
    (error,) = check_no_simulated_citizens(None)
    assert "CFMP_SMS_CHANNEL=kannel" in error.msg


def test_a_new_deployment_without_a_voice_gateway_plans_no_robocalls(deployment, world):
    assert check_no_simulated_citizens(None) == []  # the default plan, as it will be made
    assert plans.default_plan().robocall is False
    deployment.CFMP_VOICE_CHANNEL = "sip"
    SurveyPlan.objects.all().delete()
    assert plans.default_plan().robocall is True


def test_the_demo_may_use_the_simulator(settings, world):
    settings.CFMP_SIMULATOR_ALLOWED = True
    SurveyPlan.objects.create(is_default=True, robocall=True)
    assert check_no_simulated_citizens(None) == []


def test_simulated_feedback_never_becomes_a_case_or_a_count_outside_the_demo(settings, world):
    settings.CFMP_SIMULATOR_ALLOWED = False
    real = complaint()
    invented = complaint()
    invented.simulated = True
    invented.save()
    file_complaints(feedback_ids=[real.pk, invented.pk])
    assert list(Case.objects.values_list("evidence__feedback", flat=True)) == [real.pk]
    day = dt.date(2026, 3, 2)
    assert sum(row["bribe"] for row in count_day(day).values()) == 1
    assert sum(row["responded"] for row in count_day(day).values()) == 1
    settings.CFMP_SIMULATOR_ALLOWED = True  # in the demo, the simulated citizen counts
    assert sum(row["bribe"] for row in count_day(day).values()) == 2


@pytest.mark.parametrize(("gateway", "simulated"), [("simulator", True), ("kannel", False)])
def test_feedback_records_whether_a_simulated_citizen_gave_it(world, gateway, simulated):
    from cfmp.feedback.services import classify_message, receive_sms

    received = receive_sms(
        gateway=gateway, gateway_message_id="m1", sender="+923001234567", text="500 rupay mange"
    )
    assert classify_message(message_id=received.message.pk).simulated is simulated


def test_a_services_new_plan_has_robocalls_only_where_they_can_be_made(deployment, world):
    from cfmp.registry.models import Service

    service = Service.objects.first()
    assert plans.plan_for_service(service).robocall is False
    assert check_no_simulated_citizens(None) == []


def test_a_channel_setting_that_names_no_gateway_is_an_error_not_the_simulator(
    deployment, monkeypatch
):
    from django.core.exceptions import ImproperlyConfigured

    from cfmp.channels import registry
    from cfmp.channels.registry import adapter_for

    monkeypatch.setattr(registry, "_ADAPTERS", {})  # no adapter made before this setting
    from cfmp.outreach.checks import check_channel_settings

    deployment.CFMP_SMS_CHANNEL = "Kannel"
    (error,) = check_channel_settings(None)
    assert "CFMP_SMS_CHANNEL='Kannel' names no gateway" in error.msg
    with pytest.raises(ImproperlyConfigured):
        adapter_for("sms")
