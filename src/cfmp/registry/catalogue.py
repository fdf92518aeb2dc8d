"""The default catalogue shipped with CFMP: Punjab's 9 divisions and 36 districts, and the
7 departments with the 19 services CFMP surveyed. Codes are stable identifiers that
departmental systems, CSV files and reports rely on: never rename one.

Loaded by a data migration (so `cfmp migrate` is enough) and safe to load again.
"""

from __future__ import annotations

from typing import Any

# division code -> (English, Urdu, [(district code, English, Urdu), ...])
DIVISIONS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "bahawalpur": (
        "Bahawalpur",
        "بہاولپور",
        [
            ("bahawalpur", "Bahawalpur", "بہاولپور"),
            ("bahawalnagar", "Bahawalnagar", "بہاولنگر"),
            ("rahim-yar-khan", "Rahim Yar Khan", "رحیم یار خان"),
        ],
    ),
    "dera-ghazi-khan": (
        "Dera Ghazi Khan",
        "ڈیرہ غازی خان",
        [
            ("dera-ghazi-khan", "Dera Ghazi Khan", "ڈیرہ غازی خان"),
            ("layyah", "Layyah", "لیہ"),
            ("muzaffargarh", "Muzaffargarh", "مظفر گڑھ"),
            ("rajanpur", "Rajanpur", "راجن پور"),
        ],
    ),
    "faisalabad": (
        "Faisalabad",
        "فیصل آباد",
        [
            ("faisalabad", "Faisalabad", "فیصل آباد"),
            ("chiniot", "Chiniot", "چنیوٹ"),
            ("jhang", "Jhang", "جھنگ"),
            ("toba-tek-singh", "Toba Tek Singh", "ٹوبہ ٹیک سنگھ"),
        ],
    ),
    "gujranwala": (
        "Gujranwala",
        "گوجرانوالہ",
        [
            ("gujranwala", "Gujranwala", "گوجرانوالہ"),
            ("gujrat", "Gujrat", "گجرات"),
            ("hafizabad", "Hafizabad", "حافظ آباد"),
            ("mandi-bahauddin", "Mandi Bahauddin", "منڈی بہاؤالدین"),
            ("narowal", "Narowal", "نارووال"),
            ("sialkot", "Sialkot", "سیالکوٹ"),
        ],
    ),
    "lahore": (
        "Lahore",
        "لاہور",
        [
            ("lahore", "Lahore", "لاہور"),
            ("kasur", "Kasur", "قصور"),
            ("nankana-sahib", "Nankana Sahib", "ننکانہ صاحب"),
            ("sheikhupura", "Sheikhupura", "شیخوپورہ"),
        ],
    ),
    "multan": (
        "Multan",
        "ملتان",
        [
            ("multan", "Multan", "ملتان"),
            ("khanewal", "Khanewal", "خانیوال"),
            ("lodhran", "Lodhran", "لودھراں"),
            ("vehari", "Vehari", "وہاڑی"),
        ],
    ),
    "rawalpindi": (
        "Rawalpindi",
        "راولپنڈی",
        [
            ("rawalpindi", "Rawalpindi", "راولپنڈی"),
            ("attock", "Attock", "اٹک"),
            ("chakwal", "Chakwal", "چکوال"),
            ("jhelum", "Jhelum", "جہلم"),
        ],
    ),
    "sahiwal": (
        "Sahiwal",
        "ساہیوال",
        [
            ("sahiwal", "Sahiwal", "ساہیوال"),
            ("okara", "Okara", "اوکاڑہ"),
            ("pakpattan", "Pakpattan", "پاکپتن"),
        ],
    ),
    "sargodha": (
        "Sargodha",
        "سرگودھا",
        [
            ("sargodha", "Sargodha", "سرگودھا"),
            ("bhakkar", "Bhakkar", "بھکر"),
            ("khushab", "Khushab", "خوشاب"),
            ("mianwali", "Mianwali", "میانوالی"),
        ],
    ),
}

# department code -> (English, Urdu, [(service code, English, Urdu), ...])
DEPARTMENTS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "revenue": (
        "Revenue",
        "محکمہ مال",
        [
            ("property-registration", "Property Registration", "جائیداد کی رجسٹری"),
            ("mutation", "Mutation (Intiqal)", "انتقال"),
            ("fard", "Fard (Record of Rights)", "فرد"),
            ("domicile", "Domicile Certificate", "ڈومیسائل سرٹیفکیٹ"),
        ],
    ),
    "police": (
        "Police",
        "پولیس",
        [
            ("driving-licence", "Driving Licence", "ڈرائیونگ لائسنس"),
            ("character-certificate", "Character Certificate", "کریکٹر سرٹیفکیٹ"),
            ("fir-registration", "FIR Registration", "ایف آئی آر کا اندراج"),
        ],
    ),
    "health": (
        "Health",
        "محکمہ صحت",
        [
            ("rhc-visit", "Rural Health Centre Visit", "دیہی مرکز صحت"),
            ("bhu-visit", "Basic Health Unit Visit", "بنیادی مرکز صحت"),
            ("hospital-opd", "Hospital OPD", "ہسپتال او پی ڈی"),
            ("emergency-ward", "Emergency Ward", "ایمرجنسی وارڈ"),
        ],
    ),
    "home": (
        "Home",
        "محکمہ داخلہ",
        [
            ("arms-licence", "Arms Licence", "اسلحہ لائسنس"),
        ],
    ),
    "excise": (
        "Excise & Taxation",
        "ایکسائز و ٹیکسیشن",
        [
            ("vehicle-registration", "Vehicle Registration", "گاڑی کی رجسٹریشن"),
            ("vehicle-transfer", "Vehicle Transfer", "گاڑی کی منتقلی"),
            ("token-tax", "Token Tax", "ٹوکن ٹیکس"),
        ],
    ),
    "local-government": (
        "Local Government",
        "بلدیات",
        [
            ("birth-registration", "Birth Registration", "پیدائش کا اندراج"),
            ("death-registration", "Death Registration", "وفات کا اندراج"),
            ("marriage-registration", "Marriage Registration", "نکاح کا اندراج"),
        ],
    ),
    "emergency-services": (
        "Emergency Services",
        "ایمرجنسی سروسز",
        [
            ("rescue-1122", "Rescue 1122", "ریسکیو 1122"),
        ],
    ),
}


def load_catalogue(get_model: Any) -> None:
    """Create or update the default catalogue. `get_model` is `apps.get_model` (a migration's
    historical models) or `django.apps.apps.get_model`."""
    division_model = get_model("registry", "Division")
    district_model = get_model("registry", "District")
    department_model = get_model("registry", "Department")
    service_model = get_model("registry", "Service")

    for division_code, (name, name_ur, districts) in DIVISIONS.items():
        division, _ = division_model.objects.update_or_create(
            code=division_code, defaults={"name": name, "name_ur": name_ur}
        )
        for code, district_name, district_name_ur in districts:
            district_model.objects.update_or_create(
                code=code,
                defaults={"name": district_name, "name_ur": district_name_ur, "division": division},
            )

    for department_code, (name, name_ur, services) in DEPARTMENTS.items():
        department, _ = department_model.objects.update_or_create(
            code=department_code, defaults={"name": name, "name_ur": name_ur}
        )
        for code, service_name, service_name_ur in services:
            service_model.objects.update_or_create(
                code=code,
                defaults={
                    "name": service_name,
                    "name_ur": service_name_ur,
                    "department": department,
                },
            )
