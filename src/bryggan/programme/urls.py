from django.urls import path

from bryggan.programme import views, views_assessments, views_hours, views_plan

app_name = "programme"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("deltagare/<id:pk>/", views.participant, name="participant"),
    path("deltagare/<id:pk>/flytta/", views.move, name="move"),
    path("deltagare/<id:pk>/inbjudan/", views.invite, name="invite"),
    path("deltagare/<id:pk>/erbjudande/", views.offer, name="offer"),
    path("deltagare/<id:pk>/sommarjobb/", views.summer_job, name="summer-job"),
    path("deltagare/<id:pk>/uppsats/", views.thesis, name="thesis"),
    path("uppsatser/", views.theses, name="theses"),
    path("mitt/", views.mine, name="mine"),
    path("mitt/erbjudande/<id:pk>/", views.answer, name="answer"),
    path("mitt/timmar/", views_hours.log, name="log-hours"),
    path("attestera/", views_hours.approve, name="approve"),
    path("timregler/", views_hours.rules_edit, name="rules"),
    path("timmar/export/", views_hours.export, name="export"),
    path("enhet/<id:unit>/plan/", views_plan.unit_plan, name="unit-plan"),
    path("deltagare/<id:pk>/plan/", views_plan.student_plan, name="student-plan"),
    path("mina-studenter/", views_plan.my_students, name="my-students"),
    path("deltagare/<id:pk>/bedomning/", views_assessments.sign, name="assessment-sign"),
    path("bedomningar/", views_assessments.listing, name="assessments"),
    path("bedomning/<id:pk>/", views_assessments.detail, name="assessment"),
    path("bedomning/<id:pk>/pdf/", views_assessments.pdf, name="assessment-pdf"),
]
