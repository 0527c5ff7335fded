from django.urls import path, re_path

from bryggan.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.funnel, name="funnel"),
    path("kvarstannande/", views.retention, name="retention"),
    path("personal/", views.workforce, name="workforce"),
    path("handledare/", views.load, name="load"),
    path("prognos/", views.forecast, name="forecast"),
    path("import/", views.import_upload, name="import"),
    path("import/<id:pk>/", views.import_preview, name="import_preview"),
    re_path(
        r"^import/mall/(?P<kind>staff|unit_months)\.(?P<fmt>csv|xlsx)$",
        views.import_template,
        name="template",
    ),
    path("enkater/", views.surveys, name="surveys"),
    path("enkater/<id:pk>/", views.survey, name="survey"),
    path("nationellt/", views.national, name="national"),
    re_path(r"^diagram/(?P<name>[a-z-]{1,20})\.png$", views.chart, name="chart"),
    re_path(
        r"^export/(?P<page>[a-z]{1,20})/(?P<table>[a-z0-9-]{1,30})\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
    path("rapport.pdf", views.council_report, name="report"),
]
