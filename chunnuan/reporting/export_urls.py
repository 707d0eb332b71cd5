"""Export and campaign-summary pages; appended into the ``reporting`` namespace under ``/reports/``."""

from __future__ import annotations

from django.urls import path

from chunnuan.reporting import export_views

urlpatterns = [
    path("export/", export_views.export, name="export"),
    path("campaigns/<int:pk>/summary/", export_views.campaign_summary, name="campaign_summary"),
    path("campaigns/<int:pk>/summary.pdf", export_views.campaign_summary_pdf, name="campaign_summary_pdf"),
]
