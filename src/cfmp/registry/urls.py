from django.urls import path

from cfmp.registry import views

app_name = "registry"
urlpatterns = [
    path("offices/", views.office_list, name="office-list"),
    path("offices/<str:code>/", views.office_detail, name="office-detail"),
    path("officials/", views.official_list, name="official-list"),
]
