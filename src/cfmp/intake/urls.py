from django.urls import path

from cfmp.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.transaction_list, name="transaction-list"),
    path("new/", views.transaction_new, name="transaction-new"),
    path("upload/", views.upload, name="upload"),
    path("imports/<uuid:job_id>/", views.import_job, name="import-job"),
    path("imports/<uuid:job_id>/errors.csv", views.import_job_errors, name="import-job-errors"),
    path("data-quality/", views.data_quality, name="data-quality"),
]
