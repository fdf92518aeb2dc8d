from __future__ import annotations

import datetime as dt

import factory

from cfmp.accounts.models import Role, User
from cfmp.registry.models import Department, District, Office, Official, Posting


def district(code: str) -> District:
    return District.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"OFF-{n:05d}")
    name = factory.Sequence(lambda n: f"Office {n}")
    department = factory.LazyFunction(lambda: department("revenue"))
    district = factory.LazyFunction(lambda: district("lahore"))


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official
        skip_postgeneration_save = True

    employee_code = factory.Sequence(lambda n: f"EMP-{n:05d}")
    name = factory.Faker("name")
    designation = "Clerk"
    office = factory.SubFactory(OfficeFactory)

    @factory.post_generation
    def posting(self, create, extracted, **kwargs):
        if create and self.office is not None:
            Posting.objects.create(
                official=self, office=self.office, started_on=extracted or dt.date(2020, 1, 1)
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.SECRETARIAT
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def assigned_offices(self, create, extracted, **kwargs):
        if create and extracted:
            self.assigned_offices.set(extracted)
        if create:
            self.save()
