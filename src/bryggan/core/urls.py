from django.urls import path

from bryggan.core import views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_trail, name="audit"),
    path("account/two-factor/", views.two_factor, name="two-factor"),
    path("account/tokens/", views.api_tokens, name="tokens"),
    path("account/tokens/<id:pk>/revoke/", views.api_token_revoke, name="token-revoke"),
    path("kommun/<slug:slug>/tema.css", views.brand_css, name="brand-css"),
    path("kommun/<slug:slug>/logo.png", views.logo, name="logo"),
]
