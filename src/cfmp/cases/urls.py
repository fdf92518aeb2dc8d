from django.urls import path

from cfmp.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("bulk/", views.bulk_move, name="bulk"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/actions/", views.add_action, name="add-action"),
    path("<int:pk>/move/", views.move, name="move"),
    path("officials/<int:pk>/", views.official, name="official"),
    path("open/<int:feedback_pk>/", views.open_by_hand, name="open-by-hand"),
    path("actions/<int:pk>/attachment", views.attachment, name="attachment"),
]
