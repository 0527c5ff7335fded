from django.urls import path

from bryggan.recruitment import views_public as views

app_name = "recruitment-public"

urlpatterns = [
    path("karriar/<slug:slug>/", views.careers, name="careers"),
    path("karriar/<slug:slug>/flode.atom", views.OpenPostingsFeed(), name="feed"),
    path("karriar/<slug:slug>/<id:pk>/", views.posting_detail, name="posting"),
    path("karriar/<slug:slug>/<id:pk>/ansok/", views.apply, name="apply"),
    path("karriar/<slug:slug>/evenemang/<id:pk>/", views.event, name="event"),
    path("karriar/<slug:slug>/min-ansokan/", views.resend_link, name="resend-link"),
    path("ansokan/<str:token>/", views.status, name="status"),
    path("ansokan/<str:token>/boka/", views.book, name="book"),
    path("ansokan/<str:token>/avboka/", views.cancel_interview, name="cancel"),
    path("ansokan/<str:token>/intervju.ics", views.invite_ics, name="ics"),
    path("ansokan/<str:token>/dokument/", views.replace_document, name="document"),
    path("ansokan/<str:token>/aterkalla/", views.withdraw, name="withdraw"),
    path("ansokan/<str:token>/kandidatbank/", views.leave_talent_pool, name="leave-pool"),
]
