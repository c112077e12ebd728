from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns.forms import MobileLoginForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.language_set, name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=MobileLoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("campaigns.urls")),
]
