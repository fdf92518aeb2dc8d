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


OFFICIAL_FIRST = ("Zubair", "Qaiser", "Shahbaz", "Farrukh", "Nadeem", "Tahira", "Gulnaz")
# Not "Bhatti": its consonants (b-h-t) are those of "bohat", a word replies use.
OFFICIAL_LAST = ("Qureshi", "Khokhar", "Gillani", "Warraich", "Chaudhry", "Durrani")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official
        skip_postgeneration_save = True

    employee_code = factory.Sequence(lambda n: f"EMP-{n:05d}")
    # Names from a fixed list: a random one could share a word (or, across scripts, the
    # consonants) with a test's citizen or reply, which officers' pages mask.
    name = factory.Sequence(
        lambda n: (
            f"{OFFICIAL_FIRST[n % len(OFFICIAL_FIRST)]} "
            f"{OFFICIAL_LAST[(n // len(OFFICIAL_FIRST)) % len(OFFICIAL_LAST)]}"
        )
    )
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
