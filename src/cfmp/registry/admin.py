from django.contrib import admin
from django.utils import timezone

from cfmp.accounts.admin_scoping import ScopedAdmin
from cfmp.registry import selectors, services
from cfmp.registry.models import Department, District, Office, Official, Posting, Service


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    visible_to = staticmethod(selectors.departments_visible_to)
    list_display = ["code", "name", "name_ur", "published"]
    list_filter = ["published"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    visible_to = staticmethod(selectors.services_visible_to)
    list_display = ["code", "name", "name_ur", "department", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    visible_to = staticmethod(selectors.districts_visible_to)
    list_display = ["code", "name", "name_ur", "division"]
    list_filter = ["division"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    visible_to = staticmethod(selectors.offices_visible_to)
    scoped_choices = {
        "department": selectors.departments_visible_to,
        "district": selectors.districts_visible_to,
    }
    list_display = ["code", "name", "department", "district", "is_active"]
    list_filter = ["department", "district__division", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["department", "district"]


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    fields = ["office", "started_on", "ended_on"]
    readonly_fields = ["office", "started_on", "ended_on"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Transfers go through registry.services.transfer_official, which keeps history whole.
        return False


@admin.register(Official)
class OfficialAdmin(ScopedAdmin):
    visible_to = staticmethod(selectors.officials_visible_to)
    scoped_choices = {"office": selectors.offices_visible_to}
    list_display = ["employee_code", "name", "designation", "office", "is_verified"]
    list_filter = ["is_verified", "office__department", "office__district"]
    search_fields = ["employee_code", "name"]
    list_select_related = ["office"]
    inlines = [PostingInline]

    def save_model(self, request, obj, form, change):
        # Through the services, so that every change of office is a dated transfer.
        today = timezone.localdate()
        if not change:
            created = services.create_official(
                employee_code=obj.employee_code,
                name=obj.name,
                designation=obj.designation,
                office=obj.office,
                started_on=today,
                is_verified=obj.is_verified,
            )
            obj.pk = created.pk
            return
        if "office" in form.changed_data and obj.office is not None:
            new_office = obj.office
            obj.office = Official.objects.get(pk=obj.pk).office
            super().save_model(request, obj, form, change)
            services.transfer_official(official=obj, to_office=new_office, effective_on=today)
            return
        super().save_model(request, obj, form, change)
