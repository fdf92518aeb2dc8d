import pytest
from django.apps import apps

from cfmp.registry.catalogue import DEPARTMENTS, load_catalogue
from cfmp.registry.models import Department, District, Division, Service

pytestmark = pytest.mark.django_db

REQUIRED_SERVICES = {
    "revenue": {"property-registration", "mutation", "fard", "domicile"},
    "police": {"driving-licence", "character-certificate", "fir-registration"},
    "health": {"rhc-visit", "bhu-visit", "hospital-opd", "emergency-ward"},
    "home": {"arms-licence"},
    "excise": {"vehicle-registration", "vehicle-transfer", "token-tax"},
    "local-government": {"birth-registration", "death-registration", "marriage-registration"},
    "emergency-services": {"rescue-1122"},
}


def test_migrate_loads_punjab_36_districts_in_9_divisions():
    assert District.objects.count() == 36
    assert Division.objects.count() == 9
    assert District.objects.get(code="lahore").division.code == "lahore"
    assert District.objects.get(code="rahim-yar-khan").division.code == "bahawalpur"


def test_migrate_loads_7_departments_and_19_services_with_stable_codes():
    assert Department.objects.count() == 7
    assert Service.objects.count() == 19
    for department_code, service_codes in REQUIRED_SERVICES.items():
        actual = set(
            Service.objects.filter(department__code=department_code).values_list("code", flat=True)
        )
        assert actual == service_codes


def test_every_department_and_service_has_english_and_urdu_names():
    for item in [*Department.objects.all(), *Service.objects.all(), *District.objects.all()]:
        assert item.name
        assert any("\u0600" <= ch <= "\u06ff" for ch in item.name_ur), item.code


def test_loading_the_catalogue_again_creates_nothing_and_restores_names():
    Service.objects.filter(code="fard").update(name="renamed by hand")
    load_catalogue(apps.get_model)
    assert Service.objects.count() == 19
    assert District.objects.count() == 36
    assert Service.objects.get(code="fard").name == DEPARTMENTS["revenue"][2][2][1]
