from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from bryggan.api.api import api
from bryggan.core import sign_in
from bryggan.core import views as core_views
from bryggan.core.forms_auth import EmailAuthenticationForm
from bryggan.core.ids import BoundedIntConverter
from bryggan.home import views as home_views
from bryggan.insights import views as insights_views

# Ids in Bryggan's URLs are <id:…> (the API's {id:…}): a bounded number, see core/ids.py.
# A name of its own, because Django 6.0 refuses to replace its built-in "int".
register_converter(BoundedIntConverter, "id")

handler400 = "bryggan.core.views.bad_request"
handler403 = "bryggan.core.views.permission_denied"
handler404 = "bryggan.core.views.not_found"
handler500 = "bryggan.core.views.server_error"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/unlock/", sign_in.unlock_request, name="unlock-request"),
    path("login/unlock/<str:token>/", sign_in.unlock, name="unlock"),
    path(
        "login/",
        sign_in.LoginView.as_view(
            template_name="core/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", sign_in.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="core/password_reset.html",
            email_template_name="core/email/password_reset.txt",
            subject_template_name="core/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="core/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("bryggan.organisation.urls")),
    path("rekrytering/", include("bryggan.recruitment.urls")),
    path("matchning/", include("bryggan.matching.urls")),
    path("programmet/", include("bryggan.programme.urls")),
    path("introduktion/", include("bryggan.introduction.urls")),
    path("specialister/", include("bryggan.specialists.urls")),
    path("insikter/", include("bryggan.insights.urls")),
    path("enkat/<str:token>/", insights_views.survey_answer, name="survey_answer"),
    path("gemensamma-omgangar/", include("bryggan.regional.urls")),
    path("dataskydd/", include("bryggan.privacy.urls")),
    path("", include("bryggan.identity.urls")),
    path("demo/", include("bryggan.demo.urls")),
    path("", include("bryggan.recruitment.urls_public")),
    path("", include("bryggan.privacy.urls_public")),
    path("", include("bryggan.regional.urls_public")),
    path("", include("bryggan.core.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
