from django.urls import path

from cfmp.intake import api

urlpatterns = [
    path("transactions/", api.TransactionBatchView.as_view(), name="api-transactions"),
    path(
        "transactions/<path:reference>/",
        api.TransactionDetailView.as_view(),
        name="api-transaction-detail",
    ),
]
