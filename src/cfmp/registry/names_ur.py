"""Urdu names of the demo's offices and officials (issue 22), and how to set any: the demo
calls `fill_urdu_names()` after seeding its registry (core/demo.py); a deployment imports
them with `cfmp import-registry` (columns `office_name_ur`, `official_name_ur`).

Districts, divisions, departments and services carry their Urdu names from the catalogue
(registry/migrations/0002_seed_catalogue.py)."""

from __future__ import annotations

from django.db import transaction

from cfmp.registry.models import Office, Official

OFFICES_UR = {
    "LHR-REV-AIT": "رجسٹری برانچ، علامہ اقبال ٹاؤن",
    "LHR-POL-DLC": "ڈرائیونگ لائسنس سینٹر، لبرٹی",
    "LHR-HLT-SIH": "سروسز ہسپتال او پی ڈی",
    "KSR-HLT-RHC-MUS": "دیہی مرکز صحت مصطفیٰ آباد",
    "MUL-REV-DOM": "ڈومیسائل برانچ، ڈی سی آفس ملتان",
    "MUL-EXC-MRA": "موٹر رجسٹریشن اتھارٹی، ملتان",
    "RWP-REV-DOM": "ڈومیسائل برانچ، ڈی سی آفس راولپنڈی",
    "FSD-REV-CITY": "رجسٹری برانچ، فیصل آباد شہر",
    "SKP-REV-FRZ": "رجسٹری برانچ، فیروز والا",
    "RYK-REV-DOM": "ڈومیسائل برانچ، ڈی سی آفس رحیم یار خان",
}

OFFICIALS_UR = {
    "LHR-REV-1001": "محمد اصغر",
    "LHR-REV-1002": "خورشید الزمان",
    "LHR-POL-2001": "عمران یوسف",
    "LHR-POL-2002": "ثناء طارق",
    "LHR-HLT-3001": "ڈاکٹر عائشہ ملک",
    "KSR-HLT-3101": "زاہد اقبال",
    "KSR-HLT-3102": "ڈاکٹر فرحان علی",
    "MUL-REV-1101": "نوید اختر",
    "MUL-EXC-4001": "رابعہ سلیم",
    "RWP-REV-1201": "طارق محمود",
    "FSD-REV-1301": "اشرف سیالوی",
    "SKP-REV-1401": "رانا نذر",
    "RYK-REV-1501": "شاہد حسین",
}


@transaction.atomic
def fill_urdu_names(
    *, offices: dict[str, str] | None = None, officials: dict[str, str] | None = None
) -> int:
    """Set the Urdu names of these offices (by code) and officials (by employee code) where
    they have none yet (a name set by hand or by an import is kept). Returns how many were
    set. Without arguments: the demo's."""
    offices = OFFICES_UR if offices is None else offices
    officials = OFFICIALS_UR if officials is None else officials
    done = 0
    for code, name in offices.items():
        done += Office.objects.filter(code=code, name_ur="").update(name_ur=name)
    for code, name in officials.items():
        done += Official.objects.filter(employee_code=code, name_ur="").update(name_ur=name)
    return done
