from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from cfmp.core.http import SignedInRequest
from cfmp.core.lists import Listing, export_response, export_rows
from cfmp.registry.lists import OFFICE_COLUMNS, OFFICIAL_COLUMNS, OfficeFilters, OfficialFilters
from cfmp.registry.selectors import offices_visible_to, officials_visible_to


@login_required
def office_list(request: SignedInRequest) -> HttpResponse:
    listing = Listing(
        request,
        offices_visible_to(request.user),
        filterset=OfficeFilters,
        columns=OFFICE_COLUMNS,
        default_sort="district",
        tie=("name", "pk"),
    )
    if listing.export_format:
        rows = export_rows(listing.queryset, lambda chunk: [
            [o.code, o.shown_name, o.department.shown_name, o.district.shown_name,
             _("yes") if o.is_active else _("no")] for o in chunk])  # fmt: skip
        return export_response(
            name="offices", fmt=listing.export_format,
            headers=[_("Code"), _("Office"), _("Department"), _("District"), _("Active")],
            rows=list(rows),
        )  # fmt: skip
    context = {"page": listing.page(), "listing": listing}
    template = (
        "registry/_office_rows.html"
        if request.headers.get("HX-Request")
        else ("registry/office_list.html")
    )
    return render(request, template, context)


@login_required
def office_detail(request: SignedInRequest, code: str) -> HttpResponse:
    office = get_object_or_404(offices_visible_to(request.user), code=code)
    officials = officials_visible_to(request.user).filter(office=office)
    return render(
        request, "registry/office_detail.html", {"office": office, "officials": officials}
    )


@login_required
def official_list(request: SignedInRequest) -> HttpResponse:
    listing = Listing(request, officials_visible_to(request.user), filterset=OfficialFilters,
                      columns=OFFICIAL_COLUMNS, default_sort="name", tie=("pk",))  # fmt: skip
    if listing.export_format:
        rows = export_rows(listing.queryset, lambda chunk: [
            [o.shown_name, o.employee_code, o.designation,
             o.office.shown_name if o.office else "",
             o.office.district.shown_name if o.office else ""] for o in chunk])  # fmt: skip
        return export_response(
            name="officials", fmt=listing.export_format,
            headers=[_("Official"), _("Employee code"), _("Designation"), _("Office"),
                     _("District")],
            rows=list(rows),
        )  # fmt: skip
    return render(
        request, "registry/official_list.html", {"page": listing.page(), "listing": listing}
    )
