import pytest

from cfmp.intake.models import SourceSystem
from tests.factories import department


@pytest.fixture
def revenue_system(world):
    """A departmental system for the revenue department (all districts)."""
    source = SourceSystem.objects.create(code="plra", name="Land Records")
    source.departments.set([department("revenue")])
    return source


@pytest.fixture
def police_system(world):
    source = SourceSystem.objects.create(code="dlims", name="Driving Licences")
    source.departments.set([department("police")])
    return source
