from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from cfmp.core.http import SignedInRequest
from cfmp.registry.selectors import (
    departments_visible_to,
    districts_visible_to,
    offices_visible_to,
    officials_visible_to,
)


@login_required
def office_list(request: SignedInRequest) -> HttpResponse:
    offices = offices_visible_to(request.user)
    district = request.GET.get("district", "")
    department = request.GET.get("department", "")
    query = request.GET.get("q", "").strip()
    if district:
        offices = offices.filter(district__code=district)
    if department:
        offices = offices.filter(department__code=department)
    if query:
        offices = offices.filter(Q(name__icontains=query) | Q(code__icontains=query))
    page = Paginator(offices.order_by("district__name", "name"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "districts": districts_visible_to(request.user),
        "departments": departments_visible_to(request.user),
        "selected": {"district": district, "department": department, "q": query},
    }
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
