from django.urls import path

from bryggan.identity import views

app_name = "identity"

urlpatterns = [
    # Signing in (anyone)
    path("sso/<slug:slug>/", views.start, name="start"),
    path("sso/<slug:slug>/callback/", views.callback, name="callback"),
    path("sso/<slug:slug>/acs/", views.saml_acs, name="saml-acs"),
    path("sso/<slug:slug>/sls/", views.saml_logged_out, name="saml-sls"),
    path("sso/<slug:slug>/metadata/", views.saml_metadata, name="saml-metadata"),
    # The municipality's administrators
    path("inloggning/", views.settings_page, name="settings"),
    path("inloggning/ny/", views.provider_new, name="provider-new"),
    path("inloggning/<id:pk>/", views.provider_edit, name="provider"),
    path("inloggning/<id:pk>/grupper/", views.mapping_add, name="mapping-add"),
    path(
        "inloggning/<id:pk>/grupper/<id:mapping>/ta-bort/",
        views.mapping_delete,
        name="mapping-delete",
    ),
]
