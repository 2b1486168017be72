from django.urls import path

from guilde.core.pagecache import cached_page
from guilde.feedback.views import importing, intake, kpis, opportunities, setup, triage

app_name = "feedback"
urlpatterns = [
    path("", intake.landing, name="landing"),
    path("submit/", intake.submit, name="submit"),
    path("submit/quality/", intake.quality, name="quality"),
    path("submit/similar/", cached_page(intake.similar), name="similar"),
    path("submit/accounts/", intake.account_search, name="account_search"),
    path("mine/", intake.mine, name="mine"),
    path("<int:pk>/", cached_page(intake.detail), name="detail"),
    path("<int:pk>/status/", intake.change_status, name="change_status"),
    path("<int:pk>/duplicate/", intake.mark_duplicate, name="mark_duplicate"),
    path("<int:pk>/link/", intake.link, name="link"),
    path("<int:pk>/unlink/<int:opportunity_pk>/", intake.unlink, name="unlink"),
    path("<int:pk>/support/", intake.support, name="support"),
    path("inbox/", cached_page(triage.inbox), name="inbox"),
    path("inbox/bulk/", triage.bulk, name="bulk"),
    path("inbox/views/", triage.save_view, name="save_view"),
    path("inbox/views/<int:pk>/delete/", triage.delete_view, name="delete_view"),
    path("export.csv", triage.export, name="export"),
    path("opportunities/", cached_page(opportunities.opportunity_list), name="opportunities"),
    path("opportunities/new/", opportunities.opportunity_create, name="opportunity_create"),
    path("opportunities/export.csv", opportunities.opportunity_export, name="opportunities_export"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", opportunities.opportunity_move, name="opportunity_move"),
    path("opportunities/<int:pk>/ship/", opportunities.opportunity_ship, name="opportunity_ship"),
    path("roadmap/", cached_page(opportunities.roadmap), name="roadmap"),
    path("kpis/", cached_page(kpis.kpi_page), name="kpis"),
    path("kpis/<slug:chart>.csv", kpis.kpi_csv, name="kpi_csv"),
    path("settings/", setup.settings_page, name="settings"),
    path("settings/<str:kind>/new/", setup.settings_item, name="settings_new"),
    path("settings/<str:kind>/<int:pk>/", setup.settings_item, name="settings_edit"),
    path("settings/criterion/<int:pk>/delete/", setup.criterion_delete, name="criterion_delete"),
    path("import/", importing.upload, name="import"),
    path("import/<int:pk>/", importing.job_page, name="import_job"),
    path("import/<int:pk>/progress/", importing.job_progress, name="import_progress"),
    path("import/<int:pk>/retry/", importing.job_retry, name="import_retry"),
]
